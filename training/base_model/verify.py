"""Check a converted folder against the packed file it came from.

Two independent paths must agree: ``transformers`` loading the folder, and the numpy
reference pass over the file's own tensors (mean-pooled, cosine ≥ 0.999 per sentence).
The saved tokenizer must match a Viterbi over the file's pieces, and Chinese report
sentences must split into real pieces (no ``<unk>``).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
from transformers import AutoTokenizer, BertModel, PreTrainedTokenizerBase

from gongkai.training.base_model.e5bin import E5Bin
from gongkai.training.base_model.reference import ReferenceEncoder
from gongkai.training.base_model.unigram import UnigramSegmenter

MIN_COSINE = 0.999

SENTENCES = (
    "query: 如何申请公开某县2023年财政预算执行情况？",
    "passage: 本机关2023年共收到政府信息公开申请128件，其中予以公开76件。",
    "query: 申请人要求公开的信息属于国家秘密怎么办",
    "passage: 因申请内容不明确，本机关已于法定期限内告知申请人作出补正。",
    "query: how many disclosure requests did the county receive last year?",
    "passage: The bureau disclosed 76 of the 128 requests it received in 2023.",
    "query: withheld because the records contain commercial secrets",
    "passage: Requests that were unclear were returned to the applicant for correction.",
)

REPORT_SENTENCES = (
    "一、总体情况。本年度主动公开政府信息1,245条，其中规范性文件32件。",
    "三、收到和处理政府信息公开申请情况：本年新收申请数量共计58件，上年结转3件。",
    "（三）不予公开：属于国家秘密2件，危及“三安全一稳定”1件。",
    "五、存在的主要问题及改进情况：政务公开专栏更新不够及时，下一步将加强督促检查。",
)


class VerificationError(RuntimeError):
    """The converted model or tokenizer disagrees with the packed file."""


def verify(folder: Path, source: Path, min_cosine: float = MIN_COSINE) -> dict:
    """Compare ``folder`` with ``source``; returns the figures, raises when a check fails."""
    start = time.perf_counter()
    packed = E5Bin.open(source)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = BertModel.from_pretrained(folder, add_pooling_layer=False).eval()
    segmenter = UnigramSegmenter(packed.vocab, packed.normalization)
    reference = ReferenceEncoder(packed)

    ids = [tokenizer(s)["input_ids"] for s in SENTENCES]
    mismatched = [s for s, row in zip(SENTENCES, ids, strict=True) if row != segmenter.encode(s)]
    pooled = mean_pooled(model, tokenizer, list(SENTENCES))
    cosines = [cosine(reference.embed(row), vec) for row, vec in zip(ids, pooled, strict=True)]
    unk = {s: tokenizer(s)["input_ids"].count(tokenizer.unk_token_id) for s in REPORT_SENTENCES}

    report = {
        "cosines": cosines,
        "min_cosine": min(cosines),
        "tokenizer_mismatches": len(mismatched),
        "unk_counts": list(unk.values()),
        "seconds": round(time.perf_counter() - start, 2),
    }
    problems = []
    if min(cosines) < min_cosine:
        problems.append(f"cosine {min(cosines):.6f} below {min_cosine}")
    if mismatched:
        problems.append(f"tokenizer disagrees with the file's pieces on {mismatched[0]!r}")
    if any(unk.values()):
        problems.append(f"<unk> in Chinese text: {[s for s, n in unk.items() if n]}")
    if problems:
        raise VerificationError("; ".join(problems))
    return report


def mean_pooled(
    model: BertModel, tokenizer: PreTrainedTokenizerBase, texts: list[str]
) -> np.ndarray:
    """e5 sentence vectors: last hidden states averaged over the real (unpadded) tokens."""
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return ((hidden * mask).sum(dim=1) / mask.sum(dim=1)).numpy()


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity in float64."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
