"""Reads that views, services and tasks share: querysets with their joins applied,
and what each page shows, computed in a fixed number of queries."""
