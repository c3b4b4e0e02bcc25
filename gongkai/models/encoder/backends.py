"""Run padded token batches through the encoder: torch for training and float32, ONNX
Runtime for the exported int8 model (which then needs neither torch nor transformers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import numpy as np

ONNX_FILE = "model.onnx"
CONFIG_FILE = "config.json"


class Backend(Protocol):
    """Token ids and attention mask (int64) → one output row per window."""

    weights_file: str

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray: ...

    def save(self, directory: Path) -> list[str]: ...


class TorchBackend:
    """A torch module in evaluation mode; outputs as float32 numpy."""

    weights_file = "model.safetensors"

    def __init__(self, module: Any) -> None:
        self.module = module

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch

        self.module.eval()
        with torch.inference_mode():
            out = self.module(torch.from_numpy(ids), torch.from_numpy(mask))
        return out.float().numpy()

    def save(self, directory: Path) -> list[str]:
        return self.module.save(directory)


class OnnxBackend:
    """An ONNX model (bytes) in an ONNX Runtime session, with the Hugging Face config of
    the network it was exported from (labels, sizes), saved beside it."""

    weights_file = ONNX_FILE

    def __init__(self, model: bytes, config: dict[str, Any]) -> None:
        import onnxruntime

        self.model = model
        self.config = config
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        self.session = onnxruntime.InferenceSession(model, options,
                                                    providers=["CPUExecutionProvider"])

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    def save(self, directory: Path) -> list[str]:
        (directory / ONNX_FILE).write_bytes(self.model)
        (directory / CONFIG_FILE).write_text(json.dumps(self.config, indent=2) + "\n",
                                             encoding="utf-8")
        return [ONNX_FILE, CONFIG_FILE]

    @classmethod
    def load(cls, directory: Path) -> OnnxBackend:
        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        return cls((directory / ONNX_FILE).read_bytes(), config)
