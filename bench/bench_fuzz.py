"""The reader on hostile input: crashes, hangs, time and memory per input class, and the time
to refuse each named hostile input with the default limits.

Each class runs in a fresh process (so its peak RSS is its own): mutations of the sample
report as txt, HTML (plus deep nesting and wide spans), docx (plus zip header fields set to
lies) and PDF (byte flips), and the sample with huge, negative and long numbers in its
cells. A crash is any exception other than ReaderError (``internal`` included); a hang is
an input that takes over 10 s. Times are compared with reading the clean sample report in
the same run.

    python bench/bench_fuzz.py [--inputs 20000] [--seed 0] [--jobs 2] [--show 3]
"""

from __future__ import annotations

import argparse
import io
import logging
import random
import resource
import statistics
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.archive.deadline import ReportTimeout, deadline
from gongkai.reader import ReaderError, read_report
from gongkai.reader.limits import ReaderLimits
from gongkai.resources import data_path
from gongkai.synth.minimal import (
    WORD_NAMESPACE,
    bare_document_xml,
    bare_docx,
    bare_html,
    zip_bytes,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = data_path("samples") / "2019-sample-office.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
PDF_SEED = ROOT / "tests" / "fixtures" / "reports" / "14_pdf_2021_notes.pdf"
HANG_SECONDS = 10
CLASSES = ("txt", "html", "docx", "pdf", "numbers")
_TOKENS = [b"\x00", b"\xff\xfe", b"<div>", b"</td>", b'colspan="100"', b"<table>", b"\t",
           b"|", b"-", b"9" * 40, b"\xe4\xb8", b"\n\n", b"PK\x03\x04", b"stream\n", b"obj"]


def _quiet() -> None:
    """No pdfminer complaints about damaged files in the figures (each worker is spawned)."""
    logging.disable(logging.WARNING)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# --- the seeds and the inputs made from them ---------------------------------------------------

def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few flips, inserts, deletions, cuts and repeated slices."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(max(len(out), 1))
        op = rng.choice(("flip", "flip", "insert", "delete", "cut", "repeat"))
        if op == "flip" and out:
            out[at] ^= 1 << rng.randrange(8)
        elif op == "insert":
            out[at:at] = rng.choice(_TOKENS) if rng.random() < 0.7 else rng.randbytes(8)
        elif op == "delete":
            del out[at:at + rng.randint(1, 64)]
        elif op == "cut":
            del out[at:]
        else:
            out[at:at] = bytes(out[at:at + rng.randint(1, 256)]) * rng.randint(2, 20)
    return bytes(out)


def _zip_lie(data: bytes, rng: random.Random) -> bytes:
    """A header field of the zip set to a lie: versions, methods, flags, sizes, counts."""
    out = bytearray(data)
    signature = rng.choice((b"PK\x01\x02", b"PK\x03\x04", b"PK\x05\x06"))
    at = out.find(signature)
    if at == -1:
        return bytes(out)
    offset, size = rng.choice({
        b"PK\x01\x02": [(6, 2), (8, 2), (10, 2), (20, 4), (24, 4), (28, 2), (42, 4)],
        b"PK\x03\x04": [(4, 2), (6, 2), (8, 2), (18, 4), (22, 4), (26, 2)],
        b"PK\x05\x06": [(8, 2), (10, 2), (12, 4), (16, 4)],
    }[signature])
    value = rng.choice((0, 1, 148, 99, 0xFFFF, 2**31, rng.randrange(256 ** size)))
    out[at + offset:at + offset + size] = (value % 256 ** size).to_bytes(size, "little")
    return bytes(out)


def _numbers(text: str, rng: random.Random) -> bytes:
    """The sample with a few cells replaced by huge, negative, long or odd numbers."""
    figures = ["100000000000000000001", str(10**20), "9" * 400, "9" * 5000, "-3", "-0",
               "1e308", "1.5", "0." + "9" * 400, "１２３", "1,000,000,000,000", "nan", "inf",
               "一百万", "+7", str(2**63), "1" * 21]
    lines = text.splitlines()
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(lines))
        cells = lines[i].split("\t")
        if len(cells) > 2:
            cells[rng.randrange(1, len(cells))] = rng.choice(figures)
            lines[i] = "\t".join(cells)
        else:
            lines[i] += f"共收到申请{rng.choice(figures)}件。"
    return "\n".join(lines).encode()


@dataclass
class Seeds:
    txt: bytes
    html: bytes
    docx: bytes
    pdf: bytes

    @classmethod
    def load(cls) -> Seeds:
        return cls(SAMPLE.read_bytes(), bare_html(SAMPLE_TEXT), bare_docx(SAMPLE_TEXT),
                   PDF_SEED.read_bytes())


def make_input(kind: str, rng: random.Random, seeds: Seeds) -> tuple[str, bytes]:
    """One input of class ``kind``: (its name, its bytes)."""
    if kind == "txt":
        return "fuzz.txt", mutate(seeds.txt, rng)
    if kind == "html":
        shape = rng.random()
        if shape < 0.2:
            depth = rng.choice((100, 511, 513, 5000, 50_000))
            tag = rng.choice(("div", "span", "table><tr><td", "b"))
            closing = "".join(f"</{t}>" for t in reversed(tag.split("><")))
            return "deep.html", (f"<html><body><p>某局报告</p>{f'<{tag}>' * depth}正文"
                                 f"{closing * depth}</body></html>").encode()
        if shape < 0.4:
            span = rng.choice((1, 10, 100, 1000, 10**9))
            spans = f' rowspan="{span}" colspan="{rng.choice((1, span))}"'
            return "span.html", bare_html(SAMPLE_TEXT, spans)
        return "fuzz.html", mutate(seeds.html, rng)
    if kind == "docx":
        data = _zip_lie(seeds.docx, rng) if rng.random() < 0.4 else seeds.docx
        return "fuzz.docx", mutate(data, rng) if rng.random() < 0.7 else data
    if kind == "pdf":
        return "fuzz.pdf", mutate(seeds.pdf, rng)
    return "numbers.txt", _numbers(seeds.txt.decode("utf-8"), rng)


# --- running -------------------------------------------------------------------------------------

@dataclass
class Outcome:
    tried: int = 0
    read: int = 0
    refused: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: int = 0
    worst_s: float = 0.0
    worst_name: str = ""
    total_s: float = 0.0
    peak_rss_mb: float = 0.0


def timed(data: bytes, name: str, limits: ReaderLimits | None = None) -> tuple[float, str]:
    """Read once under the hang alarm: (seconds, ``read`` / a ReaderError's message id /
    ``hang`` / ``crash: …``)."""
    start = time.perf_counter()
    try:
        with deadline(HANG_SECONDS):
            read_report(data, name=name, limits=limits).as_dict()
        verdict = "read"
    except ReaderError as exc:
        verdict = f"crash: internal {exc.detail}" if exc.kind == "internal" else exc.message_id
    except ReportTimeout:
        verdict = "hang"
    except Exception as exc:  # what the reader must never let out
        verdict = f"crash: {type(exc).__name__}: {exc}"[:200]
    return time.perf_counter() - start, verdict


def run_class(task: tuple[str, int, int]) -> tuple[str, Outcome]:
    """``count`` inputs of one class, in this (fresh) process."""
    _quiet()
    kind, count, seed = task
    rng = random.Random(f"{seed}-{kind}")
    seeds = Seeds.load()
    outcome = Outcome()
    for index in range(count):
        name, data = make_input(kind, rng, seeds)
        seconds, verdict = timed(data, f"{index}-{name}")
        outcome.tried += 1
        outcome.total_s += seconds
        if seconds > outcome.worst_s:
            outcome.worst_s, outcome.worst_name = seconds, f"{index}-{name}"
        if verdict == "read":
            outcome.read += 1
        elif verdict == "hang":
            outcome.hangs += 1
        elif verdict.startswith("crash"):
            outcome.crashes.append(f"{index}-{name}: {verdict}")
        else:
            outcome.refused += 1
    outcome.peak_rss_mb = _peak_rss_mb()
    return kind, outcome


def run_baseline(reads: int = 30) -> tuple[float, float]:
    """Median seconds to read the clean sample report, and this process's peak RSS."""
    _quiet()
    data = SAMPLE.read_bytes()
    times = [timed(data, SAMPLE.name)[0] for _ in range(reads)]
    return statistics.median(times), _peak_rss_mb()


def _zeros_deflated(size: int, wbits: int) -> bytes:
    """``size`` spaces deflated, a MiB at a time (the bench itself stays small)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b" " * 2**20
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + packer.flush()


def _zip_bomb(size: int) -> bytes:
    """A docx whose document.xml inflates to ``size`` bytes, written a MiB at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("word/document.xml", "w", force_zip64=True) as member:
        member.write(f"<w:document {WORD_NAMESPACE}><w:body>".encode())
        block = b" " * 2**20
        for _ in range(size // len(block)):
            member.write(block)
        member.write(b"</w:body></w:document>")
    return buffer.getvalue()


def _central(data: bytes, offset: int, value: int) -> bytes:
    at = data.find(b"PK\x01\x02")
    return data[:at + offset] + struct.pack("<H", value) + data[at + offset + 2:]


def _blank_pdf(pages: int) -> bytes:
    import tempfile

    from gongkai.synth.pdf import write_blank_pdf

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pages.pdf"
        write_blank_pdf(path, pages=pages)
        return path.read_bytes()


def named_inputs() -> list[tuple[str, Callable[[], bytes]]]:
    """The hostile inputs of tests/reader/test_hostile.py at full size, against the defaults."""
    limits = ReaderLimits()
    good = zip_bytes({"word/document.xml": bare_document_xml(SAMPLE_TEXT)})
    stream = _zeros_deflated(limits.max_unzipped_bytes + 2**20, zlib.MAX_WBITS)
    text = SAMPLE.read_text(encoding="utf-8")
    return [
        ("zip member needs version 14.8", lambda: _central(good, 6, 148)),
        ("zip compression method 99", lambda: _central(good, 10, 99)),
        ("document.xml is <foo/>", lambda: zip_bytes({"word/document.xml": "<foo/>"})),
        ("document.xml malformed", lambda: zip_bytes({"word/document.xml": "<w:document>\n<a>"})),
        ("zip bomb (201 MiB inflated)", lambda: _zip_bomb(limits.max_unzipped_bytes + 2**20)),
        ("2001 zip members", lambda: zip_bytes({**{f"m/{i}": "" for i in range(2001)},
                                           "word/document.xml": bare_document_xml(SAMPLE_TEXT)})),
        ("HTML nested 5,000 deep", lambda: (
            "<html><body>" + "<div>" * 5000 + "某" + "</div>" * 5000 + "</body></html>").encode()),
        ("HTML nested 100,000 deep", lambda: (
            "<html><body>" + "<div>" * 100_000 + "某" + "</div>" * 100_000).encode()),
        ("1,000 cells rowspan=100 colspan=100", lambda: (
            "<html><body><p>某</p><table><tr>" + '<td rowspan="100" colspan="100">1</td>' * 1000
            + "</tr></table></body></html>").encode()),
        ("300,000 HTML elements", lambda: ("<html><body>" + "<p>某</p>" * 300_000).encode()),
        ("PDF of 1,001 pages", lambda: _blank_pdf(limits.max_pdf_pages + 1)),
        ("PDF stream bomb (201 MiB)", lambda: (
            b"%PDF-1.4\n1 0 obj\n<</Filter/FlateDecode>>\nstream\n" + stream
            + b"\nendstream\nendobj\n%%EOF\n")),
        ("5,000,001 characters", lambda: ("某县报告\n" + "某" * limits.max_chars).encode()),
        ("cells 10^20 vs 100000000000000000001", lambda: text.replace(
            "\t23\t", "\t100000000000000000001\t", 1).replace("\t31\t", f"\t{10**20}\t", 1)
            .encode()),
        ("a 400-digit cell", lambda: text.replace("\t23\t", "\t" + "9" * 400 + "\t", 1).encode()),
        ("a negative count", lambda: text.replace("\t23\t", "\t-23\t", 1).encode()),
    ]


def run_named(_: int = 0) -> tuple[list[tuple[str, int, float, str]], float]:
    """(name, input bytes, seconds, verdict) for each named input, and the peak RSS."""
    _quiet()
    results = []
    for name, build in named_inputs():
        data = build()
        seconds, verdict = timed(data, name)
        results.append((name, len(data), seconds, verdict))
    return results, _peak_rss_mb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=20_000, help="inputs in all, split evenly "
                        "over the classes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--show", type=int, default=3, help="crashes listed per class")
    args = parser.parse_args()

    start = time.perf_counter()
    per_class = max(args.inputs // len(CLASSES), 1)
    with ProcessPoolExecutor(args.jobs, max_tasks_per_child=1) as pool:
        baseline = pool.submit(run_baseline)
        named = pool.submit(run_named)
        results = list(pool.map(run_class, [(kind, per_class, args.seed) for kind in CLASSES]))
        base_s, base_rss = baseline.result()
        refusals, named_rss = named.result()
    seconds = time.perf_counter() - start

    print(f"{per_class * len(CLASSES)} inputs (seed {args.seed}) in {seconds:.0f} s; baseline: "
          f"the clean sample report read in {base_s * 1000:.1f} ms, peak RSS {base_rss:.0f} MB")
    print("| class | inputs | read | refused | crashes | hangs (>10 s) | mean ms | worst ms "
          "| worst × baseline | worst input | peak RSS MB | RSS × baseline |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    crashed = False
    for kind, o in results:
        crashed = crashed or bool(o.crashes or o.hangs)
        print(f"| {kind} | {o.tried} | {o.read} | {o.refused} | {len(o.crashes)} | {o.hangs} "
              f"| {o.total_s / o.tried * 1000:.1f} | {o.worst_s * 1000:.0f} "
              f"| {o.worst_s / base_s:.0f} | {o.worst_name} | {o.peak_rss_mb:.0f} "
              f"| {o.peak_rss_mb / base_rss:.1f} |")
    print("\n| named hostile input | bytes | ms to refuse | × baseline | outcome |")
    print("|---|---:|---:|---:|---|")
    for name, size, took, verdict in refusals:
        print(f"| {name} | {size:,} | {took * 1000:.1f} | {took / base_s:.1f} | {verdict} |")
    print(f"\npeak RSS of the named run: {named_rss:.0f} MB")
    for kind, o in results:
        for line in o.crashes[: args.show]:
            print(f"  {kind} crash: {line}")
    sys.exit(1 if crashed else 0)


if __name__ == "__main__":
    main()
