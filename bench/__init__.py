"""Benchmarks. ``python -m bench`` runs every performance bench and can write their figures
into the README (see ``bench.__main__``); each bench also runs on its own
(``python -m bench.cold``, ``bench.archive``, ``bench.serving``, ``bench.explain``,
``bench.reader``)."""
