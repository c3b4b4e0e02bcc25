"""The one error a tagging job or a summary raises for the command line to print."""

from __future__ import annotations


class ArchiveError(Exception):
    """A job that cannot run as asked (a foreign output folder, a missing dataset, no
    Ray); the message says what to do."""
