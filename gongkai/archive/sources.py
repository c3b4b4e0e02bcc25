"""Command-line inputs → report sources: files, folders (recursive), globs and zip members.

Nothing is read here except zip directories; a source is only a name and where its bytes
are, so a plan of a large archive stays small and can be sent to worker processes.
"""

from __future__ import annotations

import glob
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gongkai.reader import ReaderError
from gongkai.reader.decode import MAX_BYTES
from gongkai.reader.errors import too_large

ZIP_SEPARATOR = "!"
_GLOB_CHARS = frozenset("*?[")
_UTF8_NAMES = 0x800


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


def _zip_members(path: Path) -> tuple[list[Source], list[InputError]]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        return [], [InputError(str(path), "corrupt", f"not a readable zip archive: {exc}")]
    members = [
        Source(f"{path}{ZIP_SEPARATOR}{_member_name(info)}", str(path), info.filename)
        for info in infos
        if not info.is_dir() and not any(_hidden(part) for part in _member_name(info).split("/"))
    ]
    return members, []


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


def expand(inputs: Sequence[str],
           skip: Path | None = None) -> tuple[list[Source], list[InputError]]:
    """Every report source the inputs name, sorted by name and without repeats; ``skip``
    is a folder left out (the job's own output when it lies inside an input folder)."""
    skip = skip.resolve() if skip is not None else None
    sources: dict[str, Source] = {}
    errors: list[InputError] = []
    for given in inputs:
        if Path(given).exists():
            paths = [Path(given)]
        elif _GLOB_CHARS & set(given):
            paths = [Path(match) for match in sorted(glob.glob(given, recursive=True))]
            if not paths:
                errors.append(InputError(given, "not_found", "no file matches this pattern"))
        else:
            paths = []
            errors.append(InputError(given, "not_found", "no such file or folder"))
        for path in paths:
            for file in _files(path, skip):
                if file.suffix.lower() == ".zip":
                    members, failed = _zip_members(file)
                    sources.update((member.name, member) for member in members)
                    errors += failed
                else:
                    sources[str(file)] = Source(str(file), str(file))
    return sorted(sources.values()), errors


def read_source(source: Source, max_bytes: int = MAX_BYTES) -> bytes:
    """The source's bytes, its size checked before it is read (a zip member's size is
    also checked while inflating); raises :class:`ReaderError` like the reader does."""
    try:
        if source.member is None:
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
