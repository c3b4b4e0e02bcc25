"""Imported once by the local engine's forkserver, before it forks any worker: the tagging
code, and jieba's dictionary built (half a second and the largest part of a worker's
memory). Every worker is forked with both, shared until written, instead of building its
own; the dictionary is set aside from garbage collection so that collections in the
workers do not touch, and so copy, its pages."""

from __future__ import annotations

import gc

from gongkai.archive import worker  # noqa: F401  (what the workers run)
from gongkai.models.segment import load_dictionary

load_dictionary()
gc.collect()
gc.freeze()
