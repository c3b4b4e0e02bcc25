"""The HTTP API: classify requests, tag and check reports, serve the page at ``/``."""
