"""Read 政府信息公开工作年度报告 from txt, HTML, docx and PDF into checked statistics."""

from gongkai.reader.errors import ReaderError
from gongkai.reader.limits import ReaderLimits
from gongkai.reader.report import Paragraph, Report, read_report

__all__ = ["Paragraph", "ReaderError", "ReaderLimits", "Report", "read_report"]
