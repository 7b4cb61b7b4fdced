"""The hiring app's forms, one module per concern: field-level validation only;
the rules are in the services and the pure modules."""
