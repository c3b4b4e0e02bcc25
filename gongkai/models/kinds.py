"""The model kinds, registered once: the CLI's choices, the model card and loading read
this table. A kind's class is imported only when it is used, so listing the kinds costs
nothing and the encoder kinds need their extra only when asked for."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from gongkai.models.errors import ModelError

if TYPE_CHECKING:
    from gongkai.models.base import DispositionModel


@dataclass(frozen=True)
class Kind:
    name: str
    model_class: str  # "module:Class"
    description: str
    extra: str | None = None  # the pip extra the kind needs beyond the core install


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("tfidf", "gongkai.models.tfidf:TfidfModel",
         "TF-IDF on jieba words and character 1–3-grams, logistic regression"),
    Kind("rules", "gongkai.models.rules:RulesModel", "keyword / legal-basis rules"),
    Kind("e5", "gongkai.models.encoder.kinds:FineTunedModel",
         "Pretrained encoder (multilingual-e5-small by default) fine-tuned with a "
         "classification head, torch float32", "base-model"),
    Kind("e5-int8", "gongkai.models.encoder.kinds:Int8Model",
         "The fine-tuned encoder exported to ONNX and quantised to dynamic int8 "
         "(onnxruntime)", "base-model"),
    Kind("e5-lr", "gongkai.models.encoder.kinds:EmbeddingModel",
         "Frozen mean-pooled encoder embeddings, logistic regression", "base-model"),
    Kind("ensemble", "gongkai.models.ensemble:EnsembleModel",
         "TF-IDF and a trained e5 or e5-int8 model (--base-model), probabilities averaged "
         "with a weight chosen on validation", "base-model"),
)}


def model_class(kind: str) -> type[DispositionModel]:
    """The class of ``kind``; :class:`ModelError` for an unknown kind or a missing extra."""
    if kind not in KINDS:
        raise ModelError(f"unknown model kind {kind!r}; known: {', '.join(KINDS)}")
    module, name = KINDS[kind].model_class.split(":")
    try:
        return getattr(import_module(module), name)
    except ImportError as exc:
        raise ModelError(f"the {kind} kind needs {exc.name or 'a library'}: "
                         f"pip install 'gongkai[{KINDS[kind].extra}]'") from None
