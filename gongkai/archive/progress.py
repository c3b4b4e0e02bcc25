"""The local engine's progress bar on stderr: files, reports/s, errors so far, ETA."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class ReportRate(ProgressColumn):
    """Reports tagged in this run per second (files skipped as done do not count)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.fields["reports"] / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:.1f} reports/s", style="progress.data.speed")


def make_progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        ReportRate(),
        TextColumn("{task.fields[errors]} errors"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    )
