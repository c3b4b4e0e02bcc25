"""Command-line inputs → report sources: files, folders (recursive), globs, zip members and
``-`` (stdin).

A source is only a name and where its bytes are, so a plan of a large archive stays small
and can be sent to worker processes. What a folder, a glob or a zip holds besides reports
is skipped and counted: other file types by extension, and ``.txt`` files whose first
64 KiB are plain text without the words every disclosure report has (a README, notes).
Binary or empty ``.txt`` files are not skipped: they are bad reports, and the reader says
why. A file named on the command line is always read.
"""

from __future__ import annotations

import glob
import re
import sys
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.reader import ReaderError
from gongkai.reader.decode import MAX_BYTES
from gongkai.reader.errors import too_large

ZIP_SEPARATOR = "!"
STDIN = "-"
REPORT_SUFFIXES = frozenset({".txt", ".htm", ".html", ".docx", ".pdf"})
SNIFF_BYTES = 64 * 1024
_GLOB_CHARS = frozenset("*?[")
_UTF8_NAMES = 0x800
_DISCLOSURE = re.compile(r"信息公开")
_REPORT_PART = re.compile(r"年度报告|工作报告|年报|总体情况|主动公开|收到和处理")
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass(frozen=True, order=True)
class Source:
    """One report file: ``name`` is the ``source`` column (the path as given, or
    ``archive.zip!member``); ``member`` is the name stored in the zip, if any."""

    name: str
    path: str
    member: str | None = None


@dataclass(frozen=True)
class InputError:
    """An input that names nothing readable (a missing path, a glob without matches,
    a damaged zip); it becomes a row of the ``errors`` dataset."""

    source: str
    error_type: str
    message: str


@dataclass(frozen=True)
class Found:
    """What the inputs name: report sources, inputs naming nothing readable, and the files
    skipped as not reports (their names)."""

    sources: list[Source]
    errors: list[InputError]
    skipped: list[str] = field(default_factory=list)


def _plain_text(head: bytes) -> str | None:
    """The start of a file as text, or None when it is not plain text (binary, UTF-16
    without a byte-order mark): the reader judges those."""
    byte_order_mark = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-16",) if byte_order_mark else ("utf-8", "gb18030"):
        text = head.decode(encoding, errors="replace")
        if len(_NOT_TEXT.findall(text)) <= max(2, len(text) // 100):
            return text
    return None


def not_a_report(name: str, head: bytes | None) -> bool:
    """Whether a file found in a folder, glob or zip is something other than a report."""
    suffix = Path(name).suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        return True
    if suffix != ".txt" or head is None:
        return False
    text = _plain_text(head)
    return bool(text and text.strip()) and not (_DISCLOSURE.search(text)
                                                and _REPORT_PART.search(text))


def _head(path: Path) -> bytes | None:
    """The start of a ``.txt`` file, read to judge it (other files are judged by name)."""
    if path.suffix.lower() != ".txt":
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return None  # the reader will say why


def _member_head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    try:
        with archive.open(info) as handle:
            return handle.read(SNIFF_BYTES)
    except (zipfile.BadZipFile, zlib.error, RuntimeError, OSError, EOFError):
        return None


def _hidden(part: str) -> bool:
    return part.startswith(".") or part == "__MACOSX"


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store GBK names without the UTF-8 flag."""
    if info.flag_bits & _UTF8_NAMES:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _zip_members(path: Path) -> Found:
    try:
        with zipfile.ZipFile(path) as archive:
            members, skipped = [], []
            for info in archive.infolist():
                name = _member_name(info)
                if info.is_dir() or any(_hidden(part) for part in name.split("/")):
                    continue
                source = Source(f"{path}{ZIP_SEPARATOR}{name}", str(path), info.filename)
                head = _member_head(archive, info) if name.lower().endswith(".txt") else None
                if not_a_report(name, head):
                    skipped.append(source.name)
                else:
                    members.append(source)
    except (zipfile.BadZipFile, OSError) as exc:
        return Found([], [InputError(str(path), "corrupt", f"not a readable zip archive: {exc}")])
    return Found(members, [], skipped)


def _files(path: Path, skip: Path | None) -> Iterable[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            relative = child.relative_to(path).parts
            if child.is_file() and not any(_hidden(part) for part in relative) and not (
                skip is not None and child.resolve().is_relative_to(skip)
            ):
                yield child
    else:
        yield path


def _found_in(path: Path, given: bool, skip: Path | None) -> Found:
    """The sources under one path; ``given`` when the user named this very file."""
    sources, errors, skipped = [], [], []
    for file in _files(path, skip):
        if file.suffix.lower() == ".zip":
            inside = _zip_members(file)
            sources += inside.sources
            errors += inside.errors
            skipped += inside.skipped
        elif not given and not_a_report(file.name, _head(file)):
            skipped.append(str(file))
        else:
            sources.append(Source(str(file), str(file)))
    return Found(sources, errors, skipped)


def survey(inputs: Sequence[str], skip: Path | None = None) -> Found:
    """Every report source the inputs name, sorted by name and without repeats; ``skip``
    is a folder left out (the job's own output when it lies inside an input folder)."""
    skip = skip.resolve() if skip is not None else None
    sources: dict[str, Source] = {}
    errors: list[InputError] = []
    skipped: set[str] = set()
    for given in inputs:
        if given == STDIN:
            sources[STDIN] = Source(STDIN, STDIN)
            continue
        if Path(given).exists():
            paths, named = [Path(given)], Path(given).is_file()
        elif _GLOB_CHARS & set(given):
            paths, named = [Path(m) for m in sorted(glob.glob(given, recursive=True))], False
            if not paths:
                errors.append(InputError(given, "not_found", "no file matches this pattern"))
        else:
            paths, named = [], False
            errors.append(InputError(given, "not_found", "no such file or folder"))
        for path in paths:
            found = _found_in(path, named, skip)
            sources.update((source.name, source) for source in found.sources)
            errors += found.errors
            skipped.update(found.skipped)
    return Found(sorted(sources.values()), errors, sorted(skipped - set(sources)))


def read_source(source: Source, max_bytes: int = MAX_BYTES) -> bytes:
    """The source's bytes, its size checked before it is read (a zip member's size is
    also checked while inflating); raises :class:`ReaderError` like the reader does."""
    try:
        if source.path == STDIN:
            data = sys.stdin.buffer.read(max_bytes + 1)
        elif source.member is None:
            size = Path(source.path).stat().st_size
            if size > max_bytes:
                raise too_large(size, max_bytes)
            with open(source.path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        else:
            with zipfile.ZipFile(source.path) as archive:
                info = archive.getinfo(source.member)
                if info.file_size > max_bytes:
                    raise too_large(info.file_size, max_bytes)
                with archive.open(info) as handle:
                    data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise ReaderError("not_found", f"no such file: {source.name}") from None
    except PermissionError:
        raise ReaderError("unreadable", f"permission denied: {source.name}") from None
    except (zipfile.BadZipFile, zlib.error, KeyError, EOFError) as exc:
        raise ReaderError("corrupt", f"damaged zip member: {exc}") from None
    except RuntimeError as exc:  # zipfile's encrypted member
        raise ReaderError("unsupported", f"cannot read the zip member: {exc}") from None
    except OSError as exc:
        raise ReaderError("unreadable", f"cannot read {source.name}: {exc}") from None
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    return data
