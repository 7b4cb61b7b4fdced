"""The hiring app's pages, one module per concern. Each is thin: permission
check, form, one service call, redirect or render; what a page shows comes from
``hiring.selectors``."""
