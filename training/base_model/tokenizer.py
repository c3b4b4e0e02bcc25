"""The XLM-R style SentencePiece tokenizer, rebuilt from the pieces and scores in the file.

A Unigram model over the file's pieces (ids are the model's row numbers), accents
composed (NFC), the file's per-codepoint normalisation map as a precompiled charsmap,
runs of spaces collapsed, a metaspace pre-tokenizer, and ``<s> … </s>`` around every
text.  NFC stands in for the multi-codepoint rules of the original XLM-R charsmap, which
the file does not carry; it gives the original ids for every codepoint up to U+31FFF
except a few combining sequences (decomposed Hangul jamo and kana voicing marks, U+0344).
Saved as ``tokenizer.json`` plus the small configs ``AutoTokenizer.from_pretrained`` reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
from tokenizers.models import Unigram
from tokenizers.processors import TemplateProcessing

from gongkai.training.base_model.charsmap import precompiled_charsmap
from gongkai.training.base_model.e5bin import Vocab

METASPACE = "\u2581"
MASK = "<mask>"


def build_tokenizer(vocab: Vocab, normalization: dict[int, str]) -> Tokenizer:
    """A ``tokenizers`` Unigram tokenizer equivalent to the file's own."""
    pieces = [(p, float(s)) for p, s in zip(vocab.pieces, vocab.scores, strict=True)]
    tokenizer = Tokenizer(Unigram(pieces, unk_id=vocab.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.NFC(),
            normalizers.Precompiled(precompiled_charsmap(normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(METASPACE, prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(METASPACE, prepend_scheme="always")
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tokenizer.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    tokenizer.add_special_tokens(
        [AddedToken(p, special=True, normalized=False) for p in special_pieces(vocab)]
    )
    return tokenizer


def special_pieces(vocab: Vocab) -> list[str]:
    """The control pieces, in id order: bos, pad, eos, unk and the mask when present."""
    ids = {vocab.bos, vocab.pad, vocab.eos, vocab.unk}
    ids |= {i for i, p in enumerate(vocab.pieces) if p == MASK}
    return [vocab.pieces[i] for i in sorted(ids)]


def save_tokenizer(tokenizer: Tokenizer, vocab: Vocab, max_length: int, folder: Path) -> None:
    """Write ``tokenizer.json`` and the configs that name its special tokens."""
    tokenizer.save(str(folder / "tokenizer.json"))
    specials = {
        "bos_token": vocab.pieces[vocab.bos],
        "cls_token": vocab.pieces[vocab.bos],
        "eos_token": vocab.pieces[vocab.eos],
        "sep_token": vocab.pieces[vocab.eos],
        "pad_token": vocab.pieces[vocab.pad],
        "unk_token": vocab.pieces[vocab.unk],
    }
    if MASK in special_pieces(vocab):
        specials["mask_token"] = MASK
    config = {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": max_length,
        "clean_up_tokenization_spaces": False,
        **specials,
    }
    _write_json(folder / "tokenizer_config.json", config)
    _write_json(folder / "special_tokens_map.json", specials)


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
