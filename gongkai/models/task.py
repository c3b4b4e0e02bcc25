"""The two tasks a model does: every interface names them with this one enum."""

from __future__ import annotations

from enum import StrEnum


class Task(StrEnum):
    request = "request"  # 依申请公开 requests: one disposition each
    paragraph = "paragraph"  # annual-report paragraphs: the dispositions they report
