"""Tables and plots for the exploration notebooks in ``notebooks/``.

Everything a notebook shows is computed here, on plain corpora, confusion matrices and
prediction dicts, so that it can be tested; the notebooks only call these functions (and
``gongkai.archive`` for the archive analytics). Plots draw on matplotlib axes and never
switch the backend (a notebook keeps its inline one). :func:`write_demo_archive` writes a
small archive of generated reports with trends to analyse.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from datasets import DatasetDict
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import MultiLabelBinarizer, normalize

from gongkai import synth
from gongkai.taxonomy import Taxonomy, load_taxonomy
from training.artifacts import ModelError
from training.corpus import CORPUS_FILES, SPLITS, file_sha256
from training.evaluate import evaluate
from training.labelsets import expand, paragraph_labels
from training.model import METADATA_FILE, DispositionModel
from training.registry import DEFAULT_MODELS, load_model, models_root
from training.segment import segment

NONE = "none"
NAME_CHARS = 12


# --- names -------------------------------------------------------------------------------


def label_name(label: str, taxonomy: Taxonomy | None = None) -> str:
    """The Chinese name of a leaf or group id; any other label (``none``) stays as it is."""
    taxonomy = taxonomy or load_taxonomy()
    known = set(taxonomy.leaf_ids) | set(taxonomy.group_ids)
    return taxonomy.name(label) if label in known else label


def display_names(labels: Sequence[str], font: str | None) -> list[str]:
    """Axis labels: short Chinese names when a Chinese font is available, else the ids."""
    if font is None:
        return list(labels)
    return [label_name(label)[:NAME_CHARS] for label in labels]


# --- the taxonomy --------------------------------------------------------------------------


def label_tree(taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """The six groups and their leaves, in table order, with legal basis and definition.

    Indexed by (group, leaf); ``in_2019`` / ``in_2021`` say whether the leaf has a row of
    its own in that template (the three (六) leaves exist only since 2021)."""
    taxonomy = taxonomy or load_taxonomy()
    rows = []
    for group in taxonomy.groups:
        for leaf in taxonomy.leaves_of(group.id):
            rows.append({
                "group": f"{group.marker}{group.name}", "leaf": leaf.id, "name": leaf.name,
                "legal_basis": leaf.legal_basis, "definition": leaf.definition,
                "in_2019": bool(leaf.rows_2019), "in_2021": bool(leaf.rows_2021),
            })
    return pd.DataFrame(rows).set_index(["group", "leaf"])


def with_names(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (indexed by label) with the label's group and Chinese name in front."""
    taxonomy = load_taxonomy()
    groups = [taxonomy.group_of(label) if label != NONE else NONE for label in table.index]
    names = [label_name(label, taxonomy) for label in table.index]
    return table.assign(group=groups, name=names)[["group", "name", *table.columns]]


# --- the corpora ---------------------------------------------------------------------------


def corpus_frame(corpus: DatasetDict, task: str) -> pd.DataFrame:
    """One row per text of every split: ``split``, ``id``, ``text``, ``labels`` (a list; a
    paragraph without labels has ``["none"]``), ``chars`` and ``tokens`` (jieba words)."""
    rows = []
    for split in SPLITS:
        for row in corpus[split]:
            labels = [row["label"]] if task == "request" else list(row["labels"]) or [NONE]
            rows.append({"split": split, "id": row["id"], "text": row["text"], "labels": labels})
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
    return with_names(table.reindex(_label_order(table.index)).round(1))


def _label_order(labels: Sequence[str]) -> list[str]:
    order = [*paragraph_labels(load_taxonomy()), NONE]
    return sorted(labels, key=lambda label: order.index(label) if label in order else len(order))


def _readable(term: str) -> bool:
    """A term worth showing: two characters or more, not a figure, a date or an
    anonymisation placeholder (XX, 某某)."""
    return len(term) >= 2 and not re.fullmatch(r"[\d.]+[年月日件号]?|[xX某*]+", term)


def _label_matrix(frame: pd.DataFrame) -> tuple[np.ndarray, Any, np.ndarray, list[str]]:
    """(labels, text × label indicator, text × term counts, terms) of a corpus frame."""
    binarizer = MultiLabelBinarizer()
    indicator = binarizer.fit_transform(frame["labels"])
    vectorizer = CountVectorizer(analyzer=_identity, lowercase=False)
    counts = vectorizer.fit_transform(frame["tokens"])
    return binarizer.classes_, indicator, counts, list(vectorizer.get_feature_names_out())


def _identity(tokens: list[str]) -> list[str]:
    return tokens


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
        inside, outside = per_label[i], overall - per_label[i]
        z = _log_odds_z(inside, outside, alpha)
        ranked = [j for j in np.argsort(-z, kind="stable") if keep[j] and inside[j] > 0][:top]
        rows += [{"label": label, "rank": rank + 1, "term": terms[j], "z": round(float(z[j]), 2),
                  "count": int(inside[j])} for rank, j in enumerate(ranked)]
    return pd.DataFrame(rows, columns=["label", "rank", "term", "z", "count"])


def _log_odds_z(inside: np.ndarray, outside: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    a0 = alpha.sum()
    odds_in = np.log((inside + alpha) / (inside.sum() + a0 - inside - alpha))
    odds_out = np.log((outside + alpha) / (outside.sum() + a0 - outside - alpha))
    variance = 1.0 / (inside + alpha) + 1.0 / (outside + alpha)
    return (odds_in - odds_out) / np.sqrt(variance)


def terms_by_label(terms: pd.DataFrame) -> pd.DataFrame:
    """:func:`distinctive_terms` as one line per label: ``term (z) · term (z) …``."""
    joined = terms.assign(shown=terms["term"] + " (" + terms["z"].map("{:.0f}".format) + ")")
    table = joined.groupby("label", sort=False)["shown"].agg(" · ".join).to_frame("terms")
    return with_names(table.reindex(_label_order(table.index)))


def label_similarity(frame: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity of the labels' word profiles (the summed TF-IDF vectors of their
    texts): which labels are written about in the same words, beyond the words that every
    text uses (申请, 公开)."""
    labels, indicator, counts, _ = _label_matrix(frame)
    weighted = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    profiles = normalize(np.asarray(indicator.T @ weighted, dtype=float))
    return pd.DataFrame(profiles @ profiles.T, index=labels, columns=labels).round(3)


# --- predictions ---------------------------------------------------------------------------


def confusable_pairs(confusion: dict, top: int = 10,
                     similarity: pd.DataFrame | None = None) -> pd.DataFrame:
    """The label pairs a model mixes up most, from a confusion matrix (``{"labels",
    "matrix"}``, rows true, columns predicted) in either direction. ``share`` is the
    mixed-up count over both labels' texts; ``similarity`` (from :func:`label_similarity`)
    adds how alike the two labels' wording is."""
    labels, matrix = confusion["labels"], np.asarray(confusion["matrix"])
    support = matrix.sum(axis=1)
    rows = []
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            mixed = int(matrix[i, j] + matrix[j, i])
            if mixed:
                rows.append({"a": labels[i], "b": labels[j], "a_as_b": int(matrix[i, j]),
                             "b_as_a": int(matrix[j, i]), "mixed": mixed,
                             "share": round(mixed / max(support[i] + support[j], 1), 3)})
    pairs = pd.DataFrame(rows, columns=["a", "b", "a_as_b", "b_as_a", "mixed", "share"])
    pairs = pairs.sort_values(["mixed", "share"], ascending=False, kind="stable").head(top)
    pairs.insert(2, "a_name", pairs["a"].map(label_name))
    pairs.insert(3, "b_name", pairs["b"].map(label_name))
    if similarity is not None:
        pairs["similarity"] = [similarity.at[a, b] if a in similarity.index
                               and b in similarity.index else np.nan
                               for a, b in zip(pairs["a"], pairs["b"], strict=True)]
    return pairs.reset_index(drop=True)


def confidence_outcomes(rows: Sequence[dict], predictions: Sequence[dict],
                        labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(confidence, correct) pairs for a calibration curve. Requests: the top label's
    score and whether it is right. Paragraphs: every label's score (predict with
    ``top_k=len(labels)``) and whether the text carries it (a leaf implies its group)."""
    taxonomy = load_taxonomy()
    if "label" in rows[0]:
        confidence = [p["score"] for p in predictions]
        correct = [p["label"] == row["label"] for row, p in zip(rows, predictions, strict=True)]
        return np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    confidence = [[p["scores"].get(label, 0.0) for label in labels] for p in predictions]
    correct = [[label in expand(row["labels"], taxonomy) for label in labels] for row in rows]
    return np.asarray(confidence, dtype=float).ravel(), np.asarray(correct, dtype=bool).ravel()


def calibration_curve(confidence: Sequence[float], correct: Sequence[bool],
                      bins: int = 10) -> pd.DataFrame:
    """Reliability table: per equal-width confidence bin ``(b/bins, (b+1)/bins]`` (0 goes
    into the first, as in ``expected_calibration_error``), its mean confidence, accuracy
    and size; empty bins are left out."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    index = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    rows = [{"low": b / bins, "high": (b + 1) / bins,
             "confidence": float(confidence[index == b].mean()),
             "accuracy": float(correct[index == b].mean()), "count": int((index == b).sum())}
            for b in range(bins) if (index == b).any()]
    return pd.DataFrame(rows, columns=["low", "high", "confidence", "accuracy", "count"])


def _terms(explanation: Sequence[dict]) -> str:
    return " · ".join(f"{item['term']} ({item['weight']:.2f})" for item in explanation)


def worst_errors(rows: Sequence[dict], predictions: Sequence[dict], n: int = 10,
                 model: DispositionModel | None = None) -> pd.DataFrame:
    """The ``n`` most confident mistakes (``predictions`` with ``top_k`` covering every
    label, as :func:`predict_all` makes them, so the true label's score is known).

    Requests: a wrong label, ranked by its score. Paragraphs: labels predicted but absent
    (``extra``) or present but missed (``missed``), ranked by the worst of the extra
    labels' scores and one minus the missed labels' scores. ``why`` holds the words that
    drove the wrong labels: ``model`` is run again with ``explain=True`` on those ``n``
    texts only (explaining can be slow for an encoder), or without ``model`` the
    predictions' own explanations are used."""
    single = bool(rows) and "label" in rows[0]
    table = (_worst_requests if single else _worst_paragraphs)(rows, predictions, n)
    chosen = [predictions[position] for position in table.pop("position")]
    if model is not None and chosen:
        chosen = model.predict(list(table["text"]), top_k=len(model.labels), explain=True)
    wrong = [[] for _ in chosen] if single else list(table["extra"])
    table["why"] = [_why(p, labels) for p, labels in zip(chosen, wrong, strict=True)]
    return table


def _why(prediction: dict, labels: list[str]) -> str:
    """A request's explanation, or a paragraph's explanation of each of ``labels``."""
    if "top" in prediction:
        return _terms(prediction["explanation"])
    return "; ".join(f"{label}: {_terms(prediction['explanation'].get(label, []))}"
                     for label in labels)


def _worst_requests(rows: Sequence[dict], predictions: Sequence[dict], n: int) -> pd.DataFrame:
    found = []
    for position, (row, p) in enumerate(zip(rows, predictions, strict=True)):
        if p["label"] != row["label"]:
            true_score = next((t["score"] for t in p["top"] if t["label"] == row["label"]), 0.0)
            found.append({"position": position, "id": row["id"], "text": row["text"],
                          "true": row["label"], "predicted": p["label"], "score": p["score"],
                          "true_score": true_score})
    table = pd.DataFrame(found, columns=["position", "id", "text", "true", "predicted", "score",
                                         "true_score"])
    return table.sort_values("score", ascending=False, kind="stable").head(n).reset_index(
        drop=True)


def _worst_paragraphs(rows: Sequence[dict], predictions: Sequence[dict],
                      n: int) -> pd.DataFrame:
    found = []
    for position, (row, p) in enumerate(zip(rows, predictions, strict=True)):
        extra = [label for label in p["labels"] if label not in row["labels"]]
        missed = [label for label in row["labels"] if label not in p["labels"]]
        if extra or missed:
            severity = max([p["scores"].get(label, 0.0) for label in extra]
                           + [1.0 - p["scores"].get(label, 0.0) for label in missed])
            found.append({"position": position, "id": row["id"], "text": row["text"],
                          "true": list(row["labels"]), "predicted": p["labels"],
                          "extra": extra, "missed": missed, "severity": round(severity, 4)})
    table = pd.DataFrame(found, columns=["position", "id", "text", "true", "predicted",
                                         "extra", "missed", "severity"])
    return table.sort_values("severity", ascending=False, kind="stable").head(n).reset_index(
        drop=True)


def prediction_table(prediction: dict) -> pd.DataFrame:
    """One prediction as a table: the labels it scored (``top_k`` of ``predict``) with
    name, score, whether it was chosen (for a paragraph, a chosen leaf chooses its group),
    the legal basis and the words that pushed it (labels the model decided on only)."""
    taxonomy = load_taxonomy()
    if "top" in prediction:
        scores = {item["label"]: item["score"] for item in prediction["top"]}
        chosen = [prediction["label"]]
        explained = {prediction["label"]: prediction["explanation"]}
    else:  # a chosen leaf also chooses its group
        scores, explained = prediction["scores"], prediction["explanation"]
        chosen = sorted(expand(prediction["labels"], taxonomy))
    return pd.DataFrame([
        {"label": label, "name": label_name(label, taxonomy), "score": score,
         "chosen": label in chosen, "legal_basis": taxonomy.legal_basis(label),
         "why": _terms(explained.get(label, []))}
        for label, score in scores.items()
    ], columns=["label", "name", "score", "chosen", "legal_basis", "why"])


# --- models --------------------------------------------------------------------------------


def list_models(root: str | Path | None = None) -> pd.DataFrame:
    """Every folder of ``models/`` (or ``$GONGKAI_MODELS``): name, task, kind, creation
    time, the test macro-F1 saved at training time and whether the task's corpus has
    changed since (then its test split may overlap what the model learnt from); a folder
    without ``metadata.json`` (such as ``base/``, the encoder a transformer model starts
    from) is listed with a note."""
    root = Path(root) if root is not None else models_root()
    folders = sorted(path for path in root.iterdir() if path.is_dir()) if root.is_dir() else []
    return pd.DataFrame([_model_row(folder) for folder in folders],
                        columns=["name", "task", "kind", "created", "test_macro_f1",
                                 "corpus_changed", "note"])


def _corpus_changed(metadata: dict[str, Any]) -> bool | None:
    task, trained_on = metadata.get("task"), metadata.get("corpus_sha256")
    if task not in CORPUS_FILES or not trained_on or not CORPUS_FILES[task].is_file():
        return None
    return trained_on != file_sha256(CORPUS_FILES[task])


def _model_row(folder: Path) -> dict[str, Any]:
    row = {"name": folder.name, "task": None, "kind": None, "created": None,
           "test_macro_f1": None, "corpus_changed": None, "note": ""}
    try:
        metadata = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {**row, "note": f"no {METADATA_FILE}: not a classifier"}
    except (OSError, ValueError) as exc:
        return {**row, "note": f"unreadable {METADATA_FILE}: {exc}"}
    test = (metadata.get("metrics") or {}).get("test") or {}
    return {**row, "task": metadata.get("task"), "kind": metadata.get("kind"),
            "created": metadata.get("created"), "test_macro_f1": test.get("macro_f1"),
            "corpus_changed": _corpus_changed(metadata)}


def task_models(listing: pd.DataFrame, task: str) -> tuple[dict[str, DispositionModel],
                                                            pd.DataFrame]:
    """Load every listed model of ``task`` (the default is trained first when missing).
    Returns the loaded models by name and a table of the ones that could not be loaded."""
    names = [name for name, of in zip(listing["name"], listing["task"], strict=True)
             if of == task]
    loaded: dict[str, DispositionModel] = {}
    refused = []
    for name in names if DEFAULT_MODELS[task] in names else [None, *names]:
        try:
            model = load_model(name, task)
        except ModelError as exc:
            refused.append({"name": name, "reason": str(exc)})
        except Exception as exc:  # a model of another kind may need what is not installed
            refused.append({"name": name, "reason": f"{type(exc).__name__}: {exc}"})
        else:
            loaded[model.name] = model
    return loaded, pd.DataFrame(refused, columns=["name", "reason"])


def evaluate_models(models: dict[str, DispositionModel],
                    datasets: dict[str, Sequence[dict]]) -> dict[str, dict[str, dict]]:
    """``evaluate`` of every model on every labelled dataset: dataset → model → metrics."""
    return {split: {name: evaluate(model, rows) for name, model in models.items()}
            for split, rows in datasets.items()}


def predict_all(models: dict[str, DispositionModel], texts: Sequence[str],
                ) -> dict[str, list[dict]]:
    """Every model's predictions with every label's score (no explanations: they can be
    slow, and :func:`worst_errors` asks for the few it shows)."""
    return {name: model.predict(list(texts), top_k=len(model.labels))
            for name, model in models.items()}


def calibration_curves(models: dict[str, DispositionModel], rows: Sequence[dict],
                       predictions: dict[str, list[dict]], bins: int = 10,
                       ) -> dict[str, pd.DataFrame]:
    """:func:`calibration_curve` of each model's predictions (from :func:`predict_all`)."""
    return {name: calibration_curve(*confidence_outcomes(rows, predictions[name],
                                                         models[name].labels), bins=bins)
            for name in models}


HEADLINE = {
    "request": ("n", "macro_f1", "accuracy", "group_accuracy", "ece"),
    "paragraph": ("n", "micro_f1", "macro_f1", "group_micro_f1", "exact_match", "ece",
                  "counts_exact"),
}


def metrics_table(results: dict[str, dict[str, dict[str, Any]]]) -> pd.DataFrame:
    """Headline metrics of :func:`evaluate_models` output, one row per (dataset, model)."""
    rows = {(split, name): {key: metrics.get(key) for key in HEADLINE[metrics["task"]]}
            for split, by_model in results.items() for name, metrics in by_model.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.names = ["dataset", "model"]
    return table


def per_label_table(results: dict[str, dict[str, Any]], score: str = "f1") -> pd.DataFrame:
    """One per-label score (``f1``, ``precision`` or ``recall``) of several evaluations,
    side by side, with the label's support."""
    columns = {name: {label: values[score] for label, values in metrics["per_label"].items()}
               for name, metrics in results.items()}
    table = pd.DataFrame(columns)
    first = next(iter(results.values()))["per_label"]
    table["support"] = [first[label]["support"] for label in table.index]
    return with_names(table)


# --- plots ---------------------------------------------------------------------------------


def parse_fc_list(listing: str) -> list[tuple[str, list[str]]]:
    """``fc-list : file family`` output as (font file, family names) pairs."""
    fonts = []
    for line in listing.splitlines():
        path, _, families = line.partition(":")
        if path.strip() and families.strip():
            fonts.append((path.strip(), [f.strip() for f in families.split(",") if f.strip()]))
    return fonts


def _preference(fonts: list[tuple[str, list[str]]]) -> list[str]:
    """Family names, simplified-Chinese sans-serif faces first."""
    families = dict.fromkeys(family for _, names in fonts for family in names)
    return sorted(families, key=lambda family: ("SC" not in family.split(),
                                                "Sans" not in family, "Mono" in family))


def chinese_font() -> str | None:
    """The family name of an installed font that draws Chinese (``fc-list :lang=zh``),
    registered with matplotlib in every weight installed; ``None`` without one (or
    without fontconfig)."""
    from matplotlib import font_manager

    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True,
                                 text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    fonts = parse_fc_list(listing)
    for family in _preference(fonts):
        for path in sorted({path for path, names in fonts if family in names}):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
        if family in {font.name for font in font_manager.fontManager.ttflist}:
            return family
    return None


def use_chinese_font() -> str | None:
    """Make matplotlib draw Chinese with :func:`chinese_font`; returns the family or None
    (then plots label with ids)."""
    import matplotlib

    font = chinese_font()
    if font is not None:
        matplotlib.rcParams["font.sans-serif"] = [font, *matplotlib.rcParams["font.sans-serif"]]
        matplotlib.rcParams["font.family"] = "sans-serif"
        matplotlib.rcParams["axes.unicode_minus"] = False
    return font


def plot_confusion(confusion: dict, font: str | None = None, title: str = "",
                   ax: Any = None) -> Any:
    """Draw a confusion matrix (rows true, columns predicted) with its counts; returns
    the axes."""
    import matplotlib.pyplot as plt

    from training.confusion import draw_confusion

    names = display_names(confusion["labels"], font)
    if ax is None:
        size = 3 + 0.38 * len(names)
        _, ax = plt.subplots(figsize=(size, size))
    draw_confusion(ax, confusion, names, font)
    ax.set_title(title)
    return ax


def plot_bars(values: pd.Series, font: str | None = None, title: str = "",
              ax: Any = None) -> Any:
    """Horizontal bars of a series indexed by label, first label on top; returns the axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 2 + 0.25 * len(values)))
    ax.barh(display_names(list(values.index), font), values.to_numpy())
    ax.invert_yaxis()
    ax.set_title(title)
    return ax


def plot_lengths(frame: pd.DataFrame, font: str | None = None, title: str = "",
                 ax: Any = None) -> Any:
    """Box plot of text lengths in characters per label (from :func:`corpus_frame`); a
    text counts under each of its labels. Returns the axes."""
    import matplotlib.pyplot as plt

    exploded = frame.explode("labels")
    labels = _label_order(exploded["labels"].unique())
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 2 + 0.25 * len(labels)))
    groups = [exploded.loc[exploded["labels"] == label, "chars"].to_numpy() for label in labels]
    ax.boxplot(groups, showfliers=False, **_horizontal())
    ax.set_yticks(range(1, len(labels) + 1), display_names(labels, font))
    ax.invert_yaxis()
    ax.set(xlabel="characters", title=title)
    return ax


def _horizontal() -> dict[str, Any]:
    """The box-plot option for horizontal boxes (``vert`` gave way to ``orientation``)."""
    import matplotlib

    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    return {"orientation": "horizontal"} if (major, minor) >= (3, 10) else {"vert": False}


def plot_calibration(curves: dict[str, pd.DataFrame], ax: Any = None, title: str = "") -> Any:
    """Reliability diagram: accuracy against mean confidence per bin, one line per curve
    (from :func:`calibration_curve`), the diagonal for perfect calibration; returns the
    axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    for name, curve in curves.items():
        ax.plot(curve["confidence"], curve["accuracy"], marker="o", label=name)
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="confidence", ylabel="accuracy", title=title)
    ax.legend(loc="upper left", fontsize=8)
    return ax



# --- a tagged archive ----------------------------------------------------------------------


def failed_checks(reports: Sequence[dict]) -> pd.DataFrame:
    """One row per failed check of the ``reports`` dataset of ``gongkai tag --out``:
    agency, year, source, check id and its message."""
    rows = [{"agency": report["agency"], "year": report["year"], "source": report["source"],
             "check": check["id"], "message": check["message"]}
            for report in reports for check in report["checks"] or [] if check["ok"] is False]
    return pd.DataFrame(rows, columns=["agency", "year", "source", "check", "message"])


def agency_keys(agencies: Sequence[str], font: str | None) -> dict[str, str]:
    """Plot labels for agency names: the names with a Chinese font, else ``A1``, ``A2`` …
    in sorted order (print the mapping to read the chart)."""
    names = sorted(set(agencies))
    return {name: name if font else f"A{number}" for number, name in enumerate(names, 1)}

# --- a demo archive ------------------------------------------------------------------------

DEMO_YEARS = tuple(range(2019, 2025))
# Disposition weights of the demo reports in the first and in the last year; the years
# between move in a straight line (more 予以公开, fewer 本机关不掌握 and 信访 requests).
DEMO_WEIGHTS = (
    {"disclose": 0.30, "partial": 0.08, "withhold/third_party": 0.05,
     "withhold/process_info": 0.05, "withhold/admin_query": 0.04, "unable/not_held": 0.28,
     "unable/needs_creation": 0.05, "reject/complaint": 0.09, "reject/duplicate": 0.03,
     "other": 0.03, "other/no_correction": 0.02, "other/other": 0.01},
    {"disclose": 0.52, "partial": 0.09, "withhold/third_party": 0.04,
     "withhold/process_info": 0.03, "withhold/admin_query": 0.03, "unable/not_held": 0.14,
     "unable/needs_creation": 0.04, "reject/complaint": 0.03, "reject/duplicate": 0.02,
     "other": 0.06, "other/no_correction": 0.04, "other/other": 0.02},
)


def demo_requests(rng: random.Random, year: int, received: int,
                  years: Sequence[int] = DEMO_YEARS) -> synth.RequestTable:
    """A consistent table 三 for ``year``: ``received`` requests from natural persons,
    disposed with the weights of :data:`DEMO_WEIGHTS` for that point of ``years``."""
    template = "2019" if year <= 2020 else "2021"
    step = (year - years[0]) / max(years[-1] - years[0], 1)
    first, last = DEMO_WEIGHTS
    rows = synth.outcome_rows(template)
    weights = [first.get(row, 0.0) + step * (last.get(row, 0.0) - first.get(row, 0.0))
               for row in rows]
    counts = Counter(rng.choices(rows, weights, k=received)) if received else Counter()
    table = {"new_received": {"natural_person": received}, "carried_over": {},
             "carried_forward": {}, **{row: {"natural_person": counts[row]} for row in rows}}
    return synth.complete_table(table, template)


def write_demo_archive(folder: str | Path, agencies: int = 4,
                       years: Sequence[int] = DEMO_YEARS, seed: int = 0) -> list[Path]:
    """Write generated annual reports (``gongkai.synth``) into ``folder``: each of
    ``agencies`` fictional agencies once a year, the 2019 template up to 2020 and the 2021
    one after, in varied text and HTML layouts. Requests grow year on year and their
    dispositions drift (:data:`DEMO_WEIGHTS`); the first agency's requests jump tenfold
    in the last year but one (an outlier), the second agency's last report has a table
    that does not add up (本年新收 总计 three too high), and ``unreadable.txt`` is no
    report at all. Returns the files written."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(agencies):
        agency = synth.random_agency(rng, ("city", "county", "district"))[0]
        received = rng.randint(15, 60)
        for year in years:
            received = max(1, round(received * rng.uniform(1.0, 1.3)))
            jump = 10 if number == 0 and year == years[-2] else 1
            requests = demo_requests(rng, year, received * jump, years)
            if number == 1 and year == years[-1]:
                requests["new_received"]["total"] += 3
            written.append(_write_report(rng, folder, agency, year, requests, number))
    (folder / "unreadable.txt").write_bytes(b"")
    return [*written, folder / "unreadable.txt"]


def _write_report(rng: random.Random, folder: Path, agency: str, year: int,
                  requests: synth.RequestTable, number: int) -> Path:
    template = "2019" if year <= 2020 else "2021"
    spec = synth.random_spec(rng, template, requests=requests, year=year,
                             flags=synth.ReportFlags(fullwidth=rng.random() < 0.5))
    spec = replace(spec, agency=agency, title=f"{agency}{year}年政府信息公开工作年度报告")
    layout = rng.choice(("tab", "pipe_rows", "cell_per_line", "html"))
    path = folder / f"agency-{number + 1}" / f"{year}.{'html' if layout == 'html' else 'txt'}"
    path.parent.mkdir(exist_ok=True)
    path.write_text(synth.render(spec, layout), encoding="utf-8")
    return path
