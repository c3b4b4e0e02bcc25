"""The torch modules: an encoder with e5's mean pooling, and the same with a linear head.

Any BERT-family folder works as the encoder (multilingual-e5-small, bert-base-chinese,
RoBERTa-wwm-ext…); its own pooler is left out because e5 pools by averaging tokens.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn
from transformers import AutoConfig, AutoModel, PreTrainedModel
from transformers.utils import logging as hf_logging

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The average of the real (unpadded) token states."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def pretrained_encoder(folder: str | Path) -> PreTrainedModel:
    hf_logging.disable_progress_bar()  # a bar for reading one local file is noise
    return AutoModel.from_pretrained(str(folder), add_pooling_layer=False)


def encoder_from_config(config: dict) -> PreTrainedModel:
    """An encoder of the given configuration, weights to be loaded after."""
    config = dict(config)
    return AutoModel.from_config(AutoConfig.for_model(config.pop("model_type"), **config),
                                 add_pooling_layer=False)


class PooledEncoder(nn.Module):
    """Texts' token ids → one mean-pooled vector each."""

    def __init__(self, encoder: PreTrainedModel) -> None:
        super().__init__()
        self.encoder = encoder

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
        return mean_pool(hidden.last_hidden_state, attention_mask)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.pooled(input_ids, attention_mask)

    @property
    def word_embeddings(self) -> nn.Embedding:
        return self.encoder.get_input_embeddings()

    def save(self, directory: Path) -> list[str]:
        """``config.json`` and ``model.safetensors``; returns the file names."""
        config = self.encoder.config.to_dict()
        (directory / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n",
                                             encoding="utf-8")
        state = {name: tensor.contiguous() for name, tensor in self.state_dict().items()}
        save_file(state, directory / WEIGHTS_FILE, metadata={"format": "pt"})
        return [CONFIG_FILE, WEIGHTS_FILE]

    @classmethod
    def _empty(cls, config: dict, labels: int) -> PooledEncoder:
        return cls(encoder_from_config(config))

    @classmethod
    def load(cls, directory: Path, labels: int = 0) -> PooledEncoder:
        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        module = cls._empty(config, labels)
        module.load_state_dict(load_file(directory / WEIGHTS_FILE), strict=True)
        return module.eval()


class EncoderClassifier(PooledEncoder):
    """Mean-pooled encoder, dropout and one linear layer: logits per label."""

    def __init__(self, encoder: PreTrainedModel, labels: int, dropout: float = 0.1) -> None:
        super().__init__(encoder)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(self.pooled(input_ids, attention_mask)))

    @classmethod
    def _empty(cls, config: dict, labels: int) -> EncoderClassifier:
        return cls(encoder_from_config(config), labels)
