"""How much work one input may cost the reader: every bound named, documented, configurable.

A report is small (a docx under 5 MB, a PDF under 100 pages, under 500,000 characters), so
the defaults leave a wide margin; what goes past one is refused as a :class:`ReaderError`
(kind ``too_large``) that names the bound and the figure, before the work it would cost.
Each bound can be set with an environment variable, read here and nowhere else, or passed
to ``read_report(limits=...)``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from gongkai.reader.errors import ReaderError

MIB = 2**20
ENV_PREFIX = "GONGKAI_READER_"


@dataclass(frozen=True)
class ReaderLimits:
    """The bounds; the environment variable of each is ``GONGKAI_READER_`` + its upper name."""

    max_bytes: int = 25 * MIB  # the file as given
    max_unzipped_bytes: int = 200 * MIB  # a docx's members, or a PDF's compressed streams, inflated
    max_zip_members: int = 2000  # members of a docx (a real one has 10 to 100)
    max_html_elements: int = 200_000  # start tags of an HTML page
    max_html_depth: int = 512  # elements nested in one another
    max_span_area: int = 200_000  # sum of rowspan × colspan over every table cell
    max_pdf_pages: int = 1000
    max_chars: int = 5_000_000  # characters of decoded text
    max_count: int = 10**9  # a table cell above this is no count of requests

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ReaderLimits:
        """The defaults, each replaced by its ``GONGKAI_READER_*`` variable where set."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, int] = {}
        for spec in fields(cls):
            name = ENV_PREFIX + spec.name.upper()
            raw = environ.get(name, "").strip()
            if not raw:
                continue
            try:
                value = int(raw.replace("_", ""))
            except ValueError:
                value = 0
            if value < 1:
                raise ReaderError("config", f"{name}={raw!r}", message_id="reader.bad_limit",
                                  values={"name": name, "value": raw})
            values[spec.name] = value
        return cls(**values)


def env_names() -> dict[str, str]:
    """Bound → its environment variable, for the documentation and its test."""
    return {spec.name: ENV_PREFIX + spec.name.upper() for spec in fields(ReaderLimits)}
