"""Shrink an encoder's vocabulary to the pieces Chinese disclosure text uses.

multilingual-e5-small spends 96M of its 118M parameters on 250k word pieces, mostly of
other scripts. The kept pieces are the special tokens, every piece the training texts,
a written sample of disclosure wording (``cjk_sample.txt``) and jieba's most frequent
dictionary words produce, and the single-character pieces of every character in jieba's
dictionary, ASCII and CJK punctuation, so that other Chinese text rarely loses a
character to ``<unk>``. The pieces keep their Unigram scores, so a text whose pieces were
all kept tokenizes exactly as before; embeddings of the kept rows are copied unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import jieba
import numpy as np
import torch
from tokenizers import Tokenizer
from torch import nn

from gongkai.models.encoder.network import EncoderModule

SAMPLE_FILE = Path(__file__).with_name("cjk_sample.txt")
DICTIONARY_WORDS = 30_000
METASPACE = "\u2581"
_PUNCTUATION = [chr(c) for c in [*range(0x21, 0x7F), *range(0x3000, 0x3040),
                                 *range(0xFF01, 0xFF5F), 0x2014, 0x2026, 0x2018, 0x2019,
                                 0x201C, 0x201D, 0x00B7]]


@cache
def dictionary_words() -> tuple[list[str], list[str]]:
    """jieba's most frequent dictionary words, and every character of the dictionary."""
    entries = []
    with jieba.get_dict_file() as handle:
        for line in handle:
            word, frequency, *_ = line.decode("utf-8").split()
            entries.append((word, int(frequency)))
    ranked = [word for word, _ in sorted(entries, key=lambda e: -e[1])[:DICTIONARY_WORDS]]
    return ranked, sorted({char for word, _ in entries for char in word})


def coverage_texts() -> list[str]:
    """The written sample's lines and jieba's frequent words."""
    sample = SAMPLE_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in sample if line.strip()] + dictionary_words()[0]


def kept_ids(tokenizer: Tokenizer, texts: Iterable[str]) -> list[int]:
    """Sorted ids of the pieces to keep (see the module docstring)."""
    vocab = tokenizer.get_vocab()
    keep = set(tokenizer.get_added_tokens_decoder())
    for encoding in tokenizer.encode_batch([*texts, *coverage_texts()]):
        keep.update(encoding.ids)
    for char in [*dictionary_words()[1], *_PUNCTUATION]:
        keep.update(vocab[piece] for piece in (char, METASPACE + char) if piece in vocab)
    return sorted(keep)


def trim_tokenizer(tokenizer: Tokenizer, keep: Sequence[int]) -> Tokenizer:
    """A Unigram tokenizer over the ``keep`` pieces only, ids renumbered in their order."""
    spec = json.loads(tokenizer.to_str())
    if spec["model"]["type"] != "Unigram":
        raise ValueError(f"only Unigram vocabularies are trimmed, not {spec['model']['type']}")
    new_id = {old: new for new, old in enumerate(keep)}
    spec["model"]["vocab"] = [spec["model"]["vocab"][old] for old in keep]
    spec["model"]["unk_id"] = new_id[spec["model"]["unk_id"]]
    for token in spec["added_tokens"]:
        token["id"] = new_id[token["id"]]
    post = spec.get("post_processor") or {}
    for special in post.get("special_tokens", {}).values():
        special["ids"] = [new_id[i] for i in special["ids"]]
    return Tokenizer.from_str(json.dumps(spec, ensure_ascii=False))


def trim_embeddings(module: EncoderModule, keep: list[int]) -> nn.Embedding:
    """Keep only the ``keep`` rows of the word embeddings (in place); returns the old
    embedding layer so the change can be undone with :func:`restore_embeddings`."""
    old = module.word_embeddings
    rows = torch.as_tensor(np.asarray(keep), dtype=torch.long)
    padding = keep.index(old.padding_idx) if old.padding_idx in keep else None
    new = nn.Embedding(len(keep), old.embedding_dim, padding_idx=padding)
    new.weight = nn.Parameter(old.weight.detach()[rows].clone(),
                              requires_grad=old.weight.requires_grad)
    _set_embeddings(module, new)
    return old


def restore_embeddings(module: EncoderModule, old: nn.Embedding) -> None:
    _set_embeddings(module, old)


def _set_embeddings(module: EncoderModule, embedding: nn.Embedding) -> None:
    module.set_word_embeddings(embedding)
