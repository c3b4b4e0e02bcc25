"""The one error a model folder raises."""

from __future__ import annotations


class ModelError(Exception):
    """A model directory that is missing, foreign, corrupted or made for other labels."""
