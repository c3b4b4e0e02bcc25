"""Synthetic 政府信息公开工作年度报告 written for gongkai's tests and benchmarks.

A :class:`ReportSpec` holds everything a report says: title, agency, year,
template, narrative paragraphs per section and the three statistics tables.
:func:`random_spec` makes a consistent random report (the same seed always
gives the same report); :func:`render` writes it as text in one of the layouts
seen when real reports are copied out of web pages, Word files and PDFs (see
``LAYOUTS``); :func:`write_docx` and :func:`write_pdf` write binary documents;
:func:`expected_record` says what a correct reader must recover.

Modules, in dependency order:

* ``spec`` - ids, row order per template, :class:`ReportFlags`,
  :class:`ReportSpec` and table arithmetic (table semantics are described there).
* ``labels`` - printed headings and row/column labels of the national template.
* ``printed`` - what a report prints: number formatting, the table as printed.
* ``checks`` - expected records and the arithmetic checks that fail.
* ``random_tables``, ``agency``, ``phrases``, ``figures_text``, ``requests_text``,
  ``narrative``, ``generate`` - random tables, agencies and narrative (figures
  written 1,203 or 一千二百零三, distracting figures); :func:`random_spec`.
* ``grids``, ``blocks`` - tables as merged-cell grids; the report as blocks.
* ``layouts``, ``html_page``, ``word``, ``pdf`` - the writers.
* ``regression`` - the regression corpus (every layout, encoding and format) and
  the score of a reader's output against it, for ``bench/bench_regression.py``
  and its slice in the tests; used as a module.

Only the names below (and ``regression``) are used outside the package; the rest
stay in their modules.
"""

from gongkai.synth.agency import random_agency
from gongkai.synth.checks import expected_record
from gongkai.synth.generate import random_flags, random_spec
from gongkai.synth.layouts import render
from gongkai.synth.pdf import write_blank_pdf, write_pdf
from gongkai.synth.printed import collapsed_recoverable, printed_row_ids
from gongkai.synth.random_tables import random_requests
from gongkai.synth.requests_text import requests_paragraph
from gongkai.synth.spec import (
    APPLICANT_COLUMNS,
    CHECK_IDS,
    LAYOUTS,
    ReportFlags,
    ReportSpec,
    RequestTable,
    Template,
    complete_table,
    group_sums,
    outcome_rows,
    table_rows,
)
from gongkai.synth.word import write_docx

__all__ = [
    "APPLICANT_COLUMNS",
    "CHECK_IDS",
    "LAYOUTS",
    "ReportFlags",
    "ReportSpec",
    "RequestTable",
    "Template",
    "collapsed_recoverable",
    "complete_table",
    "expected_record",
    "group_sums",
    "outcome_rows",
    "printed_row_ids",
    "random_agency",
    "random_flags",
    "random_requests",
    "random_spec",
    "render",
    "requests_paragraph",
    "table_rows",
    "write_blank_pdf",
    "write_docx",
    "write_pdf",
]
