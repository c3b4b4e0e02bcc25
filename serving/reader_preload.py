"""Imported once by the forkserver that reports are read under (``gongkai.serving.reading``):
the reader imported, the taxonomy loaded and one sample report read, so that the reader's
first-use work (lazy imports, compiled patterns) is done once and every report's process
starts warm."""

from __future__ import annotations

from gongkai.reader import read_report
from gongkai.resources import data_path
from gongkai.serving import reading  # noqa: F401  (what each child runs)
from gongkai.taxonomy import load_taxonomy

read_report((data_path("samples") / "2019-sample-office.txt").read_bytes(), name="warm.txt",
            taxonomy=load_taxonomy())
