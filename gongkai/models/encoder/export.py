"""Export a fine-tuned classifier to ONNX, quantise it to dynamic int8, check parity.

The graph is traced with a padded batch (so the attention mask stays an input that
matters) and dynamic batch and sequence axes. Dynamic quantisation stores weights as int8
(per output channel) and quantises activations on the fly, which needs no calibration
data. Which matrix products stay float32 is a plan chosen on the validation split: the
lightest of ``PLANS`` whose predictions agree with the float model at least
``PARITY_TARGET`` of the time. The first plan keeps the two output projections of each
layer in float32: they read the attention context and the GELU activations, whose
outliers a per-tensor uint8 activation scale flattens (quantising them too cost the
fine-tuned request model 4–7 points of top-1 agreement). The query, key, value and
feed-forward input projections read LayerNorm outputs and usually quantise well, as does
the embedding table, which every plan quantises (it is four fifths of the weights).
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gongkai.models.base import Batch
from gongkai.models.encoder.backends import OnnxBackend
from gongkai.models.encoder.estimator import FineTunedEstimator
from gongkai.models.encoder.network import EncoderClassifier

OPSET = 17
INPUTS = ("input_ids", "attention_mask")
PARITY_TARGET = 0.99
HALF_STORED_FROM = 1024  # smaller matrices stay float32, as do vectors (biases, scales)


@dataclass(frozen=True)
class QuantizationPlan:
    """MatMul nodes whose name contains one of ``float_patterns`` stay float32; ``name``
    says which."""

    name: str
    float_patterns: tuple[str, ...]


PLANS = (
    QuantizationPlan("output projections", ("output/dense/",)),
    QuantizationPlan("output and feed-forward projections",
                     ("output/dense/", "intermediate/dense/")),
    QuantizationPlan("every matrix product", ("MatMul",)),
)


def export_onnx(network: EncoderClassifier, path: Path, pad_id: int) -> None:
    """Write ``network`` (ids, mask → logits) as an ONNX graph at ``path``."""
    ids = torch.full((2, 8), pad_id, dtype=torch.long)
    ids[:, 0] = 0
    ids[0, 1:8] = ids[1, 1:5] = 5
    mask = (torch.arange(8) < torch.tensor([[8], [5]])).long()
    network.eval()
    axes = {"input_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "sequence"}, "logits": {0: "batch"}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about Python-side shape checks
        torch.onnx.export(network, (ids, mask), str(path), input_names=list(INPUTS),
                          output_names=["logits"], dynamic_axes=axes, opset_version=OPSET,
                          dynamo=False)


@contextmanager
def float_export(network: EncoderClassifier, pad_id: int) -> Iterator[Path]:
    """The float32 ONNX export in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="gongkai-onnx-") as folder:
        plain = Path(folder) / "fp32.onnx"
        export_onnx(network, plain, pad_id)
        yield plain


def quantized(plain: Path, plan: QuantizationPlan) -> bytes:
    """The int8 model's bytes for the float32 export at ``plain`` under ``plan``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(prefix="gongkai-int8-") as folder:
        out = Path(folder) / "int8.onnx"
        logging.disable(logging.WARNING)  # its advice to pre-process is for CNNs
        try:
            quantize_dynamic(plain, out, weight_type=QuantType.QInt8, per_channel=True,
                             nodes_to_exclude=float_nodes(plain, plan))
        finally:
            logging.disable(logging.NOTSET)
        return half_stored(out.read_bytes())


def half_stored(model: bytes, smallest: int = HALF_STORED_FROM) -> bytes:
    """``model`` with each float32 weight matrix of at least ``smallest`` values stored as
    float16 and cast back to float32 by a ``Cast`` node. ONNX Runtime folds the casts when
    the session starts, so inference runs in float32 as before, on weights rounded to
    float16 (a relative error of at most 2⁻¹¹); the file loses half the bytes of every
    weight the plan keeps float32."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    proto = onnx.load_from_string(model)
    graph = proto.graph
    inputs = {value.name for value in graph.input}
    casts, kept = [], []
    for tensor in graph.initializer:
        if (tensor.data_type != TensorProto.FLOAT or tensor.name in inputs
                or len(tensor.dims) < 2 or np.prod(tensor.dims) < smallest):
            kept.append(tensor)
            continue
        half = numpy_helper.from_array(numpy_helper.to_array(tensor).astype(np.float16),
                                       f"{tensor.name}__float16")
        kept.append(half)
        casts.append(helper.make_node("Cast", [half.name], [tensor.name],
                                      name=f"{tensor.name}__to_float32",
                                      to=TensorProto.FLOAT))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    return proto.SerializeToString()


def float_nodes(path: Path, plan: QuantizationPlan) -> list[str]:
    """The MatMul nodes ``plan`` keeps float32 (BERT-family graphs name them
    ``…/layer.N/attention/output/dense/MatMul`` and so on)."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    return [node.name for node in graph.node if node.op_type == "MatMul"
            and any(pattern in node.name for pattern in plan.float_patterns)]


def agrees(report: dict[str, float]) -> bool:
    """Whether a parity report reaches the target (top-1 and, for a tagger, decisions)."""
    return all(report.get(key, 1.0) >= PARITY_TARGET
               for key in ("top1_agreement", "decision_agreement"))


def lightest_int8(source: FineTunedEstimator, batch: Batch,
                  log: Callable[[str], None]) -> tuple[FineTunedEstimator, dict[str, Any]]:
    """The int8 model under the lightest of ``PLANS`` that agrees with ``source`` on
    ``texts`` (the last plan when none does), and the record of the export: sizes, the
    plan kept and every tried plan's parity."""
    network = source.backend.module
    config = network.model.config.to_dict()
    with float_export(network, source.windower.spec.pad_id) as plain:
        checks: list[dict[str, Any]] = []
        for plan in PLANS:
            backend = OnnxBackend(quantized(plain, plan), config)
            candidate = FineTunedEstimator(source.windower, backend, source.task,
                                           list(source.classes_), **source.settings())
            checks.append({"plan": plan.name, **parity(source, candidate, batch)})
            log(f"int8 plan {plan.name!r}: validation parity {checks[-1]}")
            if agrees(checks[-1]):
                break
        float_bytes = plain.stat().st_size
    return candidate, {"opset": OPSET, "float32_bytes": float_bytes,
                       "int8_bytes": len(candidate.backend.model),
                       "quantization": "onnxruntime quantize_dynamic: QInt8 weights per "
                                       f"channel; kept float32: {checks[-1]['plan']}",
                       "plan": checks[-1]["plan"], "validation_parity": checks}


def parity(reference: FineTunedEstimator, candidate: FineTunedEstimator,
           batch: Batch) -> dict[str, float]:
    """Top-1 agreement and probability differences of two models on a batch (for a
    tagger also the share of (text, label) decisions that agree)."""
    if not len(batch):
        return {"texts": 0}
    expected = reference.predict_proba(batch.texts, batch.records)
    found = candidate.predict_proba(batch.texts, batch.records)
    difference = np.abs(expected - found)
    report = {
        "texts": len(batch),
        "top1_agreement": round(float(np.mean(expected.argmax(1) == found.argmax(1))), 4),
        "max_abs_probability_difference": round(float(difference.max()), 5),
        "mean_abs_probability_difference": round(float(difference.mean()), 6),
    }
    if reference.task == "paragraph":
        same = (expected >= reference.thresholds_) == (found >= candidate.thresholds_)
        report["decision_agreement"] = round(float(same.mean()), 4)
    return report
