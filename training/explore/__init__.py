"""Tables and plots for the exploration notebooks in ``notebooks/``.

Everything a notebook shows is computed here, on plain corpora, confusion matrices and
typed predictions, so that it can be tested; the notebooks only call these functions
(``from gongkai.training import explore; explore.label_tree()``), and ``gongkai.archive``
for the archive analytics. By theme:

* :mod:`.names` — label names, order and the label tree;
* :mod:`.corpus` — the labelled corpora: lengths, distinctive words, similar labels;
* :mod:`.predictions` — confusable pairs, calibration, worst errors, one prediction;
* :mod:`.models` — the models of a models folder listed, loaded, evaluated side by side;
* :mod:`.plots` — the charts (the Chinese font comes from :mod:`gongkai.fonts`);
* :mod:`.archive` — a tagged archive's datasets, and a generated demo archive.
"""

from gongkai.training.explore.archive import (
    DEMO_WEIGHTS,
    DEMO_YEARS,
    agency_keys,
    as_mapping,
    demo_requests,
    failed_checks,
    paragraph_table,
    write_demo_archive,
)
from gongkai.training.explore.corpus import (
    corpus_frame,
    distinctive_terms,
    label_similarity,
    length_summary,
    terms_by_label,
)
from gongkai.training.explore.models import (
    calibration_curves,
    default_model,
    evaluate_models,
    list_models,
    metrics_table,
    per_label_table,
    predict_all,
    task_models,
)
from gongkai.training.explore.names import (
    NONE,
    display_names,
    label_name,
    label_order,
    label_tree,
    with_names,
)
from gongkai.training.explore.plots import (
    plot_bars,
    plot_calibration,
    plot_confusion,
    plot_lengths,
)
from gongkai.training.explore.predictions import (
    Prediction,
    calibration_curve,
    confidence_outcomes,
    confusable_pairs,
    prediction_table,
    worst_errors,
)

__all__ = [
    "DEMO_WEIGHTS", "DEMO_YEARS", "NONE", "Prediction", "agency_keys", "as_mapping",
    "calibration_curve", "calibration_curves", "confidence_outcomes", "confusable_pairs",
    "corpus_frame", "default_model", "demo_requests", "display_names", "distinctive_terms",
    "evaluate_models", "failed_checks", "label_name", "label_order", "label_similarity",
    "label_tree", "length_summary", "list_models", "metrics_table", "paragraph_table",
    "per_label_table", "plot_bars", "plot_calibration", "plot_confusion", "plot_lengths",
    "predict_all", "prediction_table", "task_models", "terms_by_label", "with_names",
    "worst_errors", "write_demo_archive",
]
