"""One example block per command, shown at the end of its ``--help``; the README shows
the same commands."""

from __future__ import annotations

EXAMPLES: dict[str, tuple[str, ...]] = {
    "report": (
        "gongkai report data/samples/2019-sample-office.txt",
        "gongkai report --json reports/*.html > reports.jsonl",
        "gongkai report --strict report.pdf || echo 'a check fails'",
        "curl -s https://example.gov.cn/2023.html | gongkai report -",
    ),
    "classify": (
        "gongkai classify '我要举报隔壁工厂偷排污水，请你们马上查处'",
        "gongkai classify --record '已书面告知补正，申请人逾期未答复' '申请公开…'",
        "gongkai classify --json '申请公开2023年部门预算'",
        "gongkai classify --input requests.jsonl > tagged.jsonl",
        "gongkai classify --task paragraph --input paragraphs.jsonl --output tagged.jsonl",
        "pbpaste | gongkai classify -",
    ),
    "tag": (
        "gongkai tag data/samples/ > tags.jsonl",
        "gongkai tag reports/ 'more/**/*.html' bundle.zip --out tagged/",
        "gongkai tag reports/ --out tagged/ --format csv --workers 4",
        "cat report.txt | gongkai tag -",
    ),
    "summarize": (
        "gongkai summarize tagged/",
        "gongkai summarize tagged/ --headers names --out 汇总/",
        "gongkai --lang en summarize tagged/ --headers names",
    ),
    "train": (
        "gongkai train --task request",
        "gongkai train --task paragraph --kind rules",
        "gongkai train --task request --kind e5 --threads 1 --out models/e5-request",
    ),
    "evaluate": (
        "gongkai evaluate --task request",
        "gongkai evaluate --task request --data data/eval/requests.jsonl",
    ),
    "serve": (
        "gongkai serve",
        "gongkai serve --host 0.0.0.0 --port 8080 --workers 4",
    ),
    "demo": ("gongkai demo", "gongkai --lang en demo"),
    "prepare": ("gongkai base-model prepare", "gongkai base-model prepare --force"),
}


def epilog(command: str) -> str:
    """The examples as a ``--help`` epilog (``\\b`` keeps click from re-wrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[command])
