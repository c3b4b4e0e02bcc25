"""What the labelled corpora look like: texts per label, their lengths, the words that mark
each label and the labels written about in the same words.

All of it works on one frame (:func:`corpus_frame`) with the jieba words of every text,
so the corpus is segmented once per notebook.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from datasets import DatasetDict
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import MultiLabelBinarizer, normalize

from gongkai.models.segment import segment
from gongkai.training.corpus import SPLITS
from gongkai.training.explore.names import NONE, label_order, with_names

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

# Figures, dates and anonymisation placeholders (XX, 某某) say nothing about a label.
UNREADABLE = re.compile(r"[\d.]+[年月日件号]?|[xX某*]+")


def corpus_frame(corpus: DatasetDict, task: str) -> pd.DataFrame:
    """One row per text of every split: ``split``, ``id``, ``text``, ``labels`` (a list; a
    paragraph without labels has ``["none"]``), ``chars`` and ``tokens`` (jieba words)."""
    rows = [{"split": split, "id": row["id"], "text": row["text"],
             "labels": [row["label"]] if task == "request" else list(row["labels"]) or [NONE]}
            for split in SPLITS for row in corpus[split]]
    frame = pd.DataFrame(rows)
    frame["chars"] = frame["text"].str.len()
    frame["tokens"] = [segment(text) for text in frame["text"]]
    return frame


def length_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per label (a text counts under each of its labels): texts, and the median, 90th
    percentile and maximum length in characters and in jieba words."""
    exploded = frame.assign(words=frame["tokens"].str.len()).explode("labels")
    table = exploded.groupby("labels", sort=False).agg(
        texts=("chars", "size"),
        chars_median=("chars", "median"), chars_p90=("chars", lambda s: s.quantile(0.9)),
        chars_max=("chars", "max"),
        words_median=("words", "median"), words_p90=("words", lambda s: s.quantile(0.9)),
    )
    table.index.name = "label"
    return with_names(table.reindex(label_order(table.index)).round(1))


def _readable(term: str) -> bool:
    """A term worth showing: two characters or more, not a figure, a date or a
    placeholder."""
    return len(term) >= 2 and not UNREADABLE.fullmatch(term)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _label_matrix(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, csr_matrix, list[str]]:
    """(labels, text × label indicator, text × term counts, terms) of a corpus frame."""
    binarizer = MultiLabelBinarizer()
    indicator = binarizer.fit_transform(frame["labels"])
    vectorizer = CountVectorizer(analyzer=_identity, lowercase=False)
    counts = vectorizer.fit_transform(frame["tokens"])
    return binarizer.classes_, indicator, counts, list(vectorizer.get_feature_names_out())


def _log_odds_z(inside: np.ndarray, outside: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The z-score of the weighted log-odds ratio of each term, inside against outside,
    with the Dirichlet prior ``alpha``."""
    a0 = alpha.sum()
    odds_in = np.log((inside + alpha) / (inside.sum() + a0 - inside - alpha))
    odds_out = np.log((outside + alpha) / (outside.sum() + a0 - outside - alpha))
    variance = 1.0 / (inside + alpha) + 1.0 / (outside + alpha)
    return (odds_in - odds_out) / np.sqrt(variance)


def distinctive_terms(frame: pd.DataFrame, top: int = 8, min_count: int = 3,
                      prior: float = 500.0) -> pd.DataFrame:
    """The jieba words most typical of each label against all other texts: the weighted
    log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008),
    as a z-score. The prior (``prior`` pseudo-words spread like the whole corpus) keeps
    rare words from topping the list on two occurrences. Long form: label, rank, term,
    z, count (occurrences in the label's texts)."""
    labels, indicator, counts, terms = _label_matrix(frame)
    per_label = np.asarray(indicator.T @ counts, dtype=float)  # label × term
    overall = np.asarray(counts.sum(axis=0), dtype=float).ravel()
    alpha = prior * overall / overall.sum()
    keep = (overall >= min_count) & np.array([_readable(term) for term in terms])
    rows = []
    for i, label in enumerate(labels):
        inside = per_label[i]
        z = _log_odds_z(inside, overall - inside, alpha)
        ranked = [j for j in np.argsort(-z, kind="stable") if keep[j] and inside[j] > 0][:top]
        rows += [{"label": label, "rank": rank + 1, "term": terms[j], "z": round(float(z[j]), 2),
                  "count": int(inside[j])} for rank, j in enumerate(ranked)]
    return pd.DataFrame(rows, columns=["label", "rank", "term", "z", "count"])


def terms_by_label(terms: pd.DataFrame) -> pd.DataFrame:
    """:func:`distinctive_terms` as one line per label: ``term (z) · term (z) …``."""
    joined = terms.assign(shown=terms["term"] + " (" + terms["z"].map("{:.0f}".format) + ")")
    table = joined.groupby("label", sort=False)["shown"].agg(" · ".join).to_frame("terms")
    return with_names(table.reindex(label_order(table.index)))


def label_similarity(frame: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity of the labels' word profiles (the summed TF-IDF vectors of their
    texts): which labels are written about in the same words, beyond the words that every
    text uses (申请, 公开)."""
    labels, indicator, counts, _ = _label_matrix(frame)
    weighted = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    profiles = normalize(np.asarray(indicator.T @ weighted, dtype=float))
    return pd.DataFrame(profiles @ profiles.T, index=labels, columns=labels).round(3)
