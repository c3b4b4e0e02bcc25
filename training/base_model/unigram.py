"""An independent Unigram (Viterbi) segmentation over the file's pieces and scores.

It follows the file's own recipe (per-codepoint normalisation, runs of spaces collapsed,
spaces as U+2581 with one in front, the best-scoring split, ``<s>``/``</s>`` around),
after composing accents (NFC) as the original XLM-R normaliser does.
Comparing it with the saved ``tokenizer.json`` checks the tokenizer the converter built.
"""

from __future__ import annotations

import re
import unicodedata

from gongkai.training.base_model.e5bin import Vocab

METASPACE = "\u2581"
_UNK_PENALTY = 10.0


class UnigramSegmenter:
    """Token ids of a text by Viterbi over the pieces (unknown characters cost extra)."""

    def __init__(self, vocab: Vocab, normalization: dict[int, str]) -> None:
        self.vocab = vocab
        self.table = dict(normalization)
        specials = {vocab.bos, vocab.eos, vocab.pad, vocab.unk}
        self.ids = {p: i for i, p in enumerate(vocab.pieces) if i not in specials and p}
        self.scores = [float(s) for s in vocab.scores]
        self.longest = max(len(p) for p in self.ids)
        self.unk_score = min(self.scores) - _UNK_PENALTY

    def normalize(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text).translate(self.table)
        text = re.sub(" {2,}", " ", text).replace(" ", METASPACE)
        return text if text.startswith(METASPACE) else METASPACE + text

    def encode(self, text: str) -> list[int]:
        chars = self.normalize(text)
        best = [0.0] + [float("-inf")] * len(chars)
        back: list[tuple[int, int]] = [(0, -1)] * (len(chars) + 1)
        for start in range(len(chars)):
            for end in range(start + 1, min(len(chars), start + self.longest) + 1):
                piece = self.ids.get(chars[start:end])
                if piece is not None and best[start] + self.scores[piece] > best[end]:
                    best[end] = best[start] + self.scores[piece]
                    back[end] = (start, piece)
            if best[start] + self.unk_score > best[start + 1]:
                best[start + 1] = best[start] + self.unk_score
                back[start + 1] = (start, self.vocab.unk)
        ids: list[int] = []
        end = len(chars)
        while end > 0:
            end, piece = back[end]
            ids.append(piece)
        return [self.vocab.bos, *reversed(ids), self.vocab.eos]
