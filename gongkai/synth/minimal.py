"""A tab-separated report (such as the bundled sample) as a bare HTML page or docx.

The fuzz test and the fuzz bench mutate these: the smallest files of each format that the
reader reads in full, with nothing of a real writer's markup around the text and tables.
"""

from __future__ import annotations

import io
import zipfile

WORD_NAMESPACE = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

Block = str | list[list[str]]


def tab_blocks(text: str) -> list[Block]:
    """Paragraphs, and tables as runs of tab-joined lines."""
    blocks: list[Block] = []
    for line in text.splitlines():
        if "\t" not in line:
            blocks.append(line)
        elif blocks and isinstance(blocks[-1], list):
            blocks[-1].append(line.split("\t"))
        else:
            blocks.append([line.split("\t")])
    return blocks


def bare_html(text: str, cell_attrs: str = "") -> bytes:
    """``text`` as ``<p>`` and ``<table>`` elements; ``cell_attrs`` goes into every ``<td>``."""
    parts = [f"<p>{block}</p>" if isinstance(block, str) else
             "<table>" + "".join("<tr>" + "".join(f"<td{cell_attrs}>{cell}</td>" for cell in row)
                                 + "</tr>" for row in block) + "</table>"
             for block in tab_blocks(text)]
    return f"<html><body>{''.join(parts)}</body></html>".encode()


def bare_document_xml(text: str) -> str:
    """``text`` as a Word ``document.xml``: paragraphs and ``w:tbl`` tables."""
    def paragraph(content: str) -> str:
        return f"<w:p><w:r><w:t>{content}</w:t></w:r></w:p>"

    parts = [paragraph(block) if isinstance(block, str) else
             "<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc>{paragraph(cell)}</w:tc>"
                                                    for cell in row) + "</w:tr>"
                                 for row in block) + "</w:tbl>"
             for block in tab_blocks(text)]
    return f"<w:document {WORD_NAMESPACE}><w:body>{''.join(parts)}</w:body></w:document>"


def zip_bytes(members: dict[str, str | bytes]) -> bytes:
    """A deflated zip of ``members`` (name → content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bare_docx(text: str) -> bytes:
    """``text`` as the smallest docx the reader reads."""
    return zip_bytes({"[Content_Types].xml": "<Types/>",
                      "word/document.xml": bare_document_xml(text)})
