"""Every write of the hiring app goes through here, one module per concern:
keyword-only, atomic, validated; emails only after commit."""
