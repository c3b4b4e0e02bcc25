"""The torch modules, as Hugging Face models, so that their folders load with the usual
tools (``AutoModelForSequenceClassification`` / ``AutoModel.from_pretrained``).

- :class:`EncoderClassifier`: the fine-tuned kind, a ``…ForSequenceClassification`` model
  (any BERT-family encoder: multilingual-e5-small, bert-base-chinese, RoBERTa-wwm-ext…)
  whose config carries ``id2label`` / ``label2id``;
- :class:`PooledEncoder`: the frozen-embedding kind, the bare encoder with e5's mean
  pooling.

Both are called as ``module(input_ids, attention_mask)`` and save with
``save_pretrained`` (``config.json`` + ``model.safetensors``).
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from transformers import AutoModel, AutoModelForSequenceClassification, PreTrainedModel
from transformers.utils import logging as hf_logging

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The average of the real (unpadded) token states."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def _quiet() -> None:
    hf_logging.disable_progress_bar()  # a bar for reading one local file is noise
    hf_logging.set_verbosity_error()  # the new head's "newly initialized" note is expected


class EncoderModule(nn.Module):
    """A Hugging Face model behind ``(input_ids, attention_mask)``."""

    def __init__(self, model: PreTrainedModel) -> None:
        super().__init__()
        self.model = model

    @property
    def word_embeddings(self) -> nn.Embedding:
        return self.model.get_input_embeddings()

    def set_word_embeddings(self, embedding: nn.Embedding) -> None:
        self.model.set_input_embeddings(embedding)
        self.model.config.vocab_size = embedding.num_embeddings
        self.model.config.pad_token_id = embedding.padding_idx

    def save(self, directory: Path) -> list[str]:
        """``config.json`` and ``model.safetensors``; returns the file names."""
        self.model.save_pretrained(directory, safe_serialization=True)
        return [CONFIG_FILE, WEIGHTS_FILE]


class EncoderClassifier(EncoderModule):
    """A sequence-classification model: logits per label."""

    @classmethod
    def from_base(cls, folder: str | Path, labels: list[str], multi_label: bool,
                  ) -> EncoderClassifier:
        """The pretrained encoder in ``folder`` with a new classification head."""
        _quiet()
        model = AutoModelForSequenceClassification.from_pretrained(
            str(folder), num_labels=len(labels), id2label=dict(enumerate(labels)),
            label2id={label: i for i, label in enumerate(labels)},
            problem_type="multi_label_classification" if multi_label
            else "single_label_classification")
        return cls(model)

    @classmethod
    def load(cls, directory: Path) -> EncoderClassifier:
        _quiet()
        return cls(AutoModelForSequenceClassification.from_pretrained(
            str(directory), use_safetensors=True)).eval()

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits


class PooledEncoder(EncoderModule):
    """Texts' token ids → one mean-pooled vector each."""

    @classmethod
    def from_base(cls, folder: str | Path) -> PooledEncoder:
        _quiet()
        return cls(AutoModel.from_pretrained(str(folder)))

    @classmethod
    def load(cls, directory: Path) -> PooledEncoder:
        _quiet()
        return cls(AutoModel.from_pretrained(str(directory), use_safetensors=True)).eval()

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.model(input_ids=input_ids, attention_mask=attention_mask)
        return mean_pool(hidden.last_hidden_state, attention_mask)
