"""The plan's staff pages. Thin: read through queries, write through services."""
