"""The model kinds built on a pretrained encoder, named without importing torch."""

from __future__ import annotations

FINE_TUNED = "e5"
INT8 = "e5-int8"
EMBEDDING_LR = "e5-lr"
TRANSFORMER_KINDS = (FINE_TUNED, INT8, EMBEDDING_LR)
DESCRIPTIONS = {
    FINE_TUNED: "Pretrained encoder (multilingual-e5-small by default) fine-tuned with a "
                "classification head, torch float32",
    INT8: "The fine-tuned encoder exported to ONNX and quantised to dynamic int8 "
          "(onnxruntime)",
    EMBEDDING_LR: "Frozen mean-pooled encoder embeddings, logistic regression",
}
