"""An independent float64 numpy forward pass of the encoder, read straight from the file.

It shares nothing with ``transformers``: embeddings (word + position + type 0), then
per layer self-attention and a GELU feed-forward, each followed by a residual
LayerNorm, then mean pooling over the tokens.  Used to check the converted model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gongkai.training.base_model.e5bin import E5Bin

# Abramowitz & Stegun 7.1.26: |erf error| < 1.5e-7, far below float32 rounding of the model.
_P = 0.3275911
_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, elementwise."""
    t = 1.0 / (1.0 + _P * np.abs(x))
    poly = t * (_A[0] + t * (_A[1] + t * (_A[2] + t * (_A[3] + t * _A[4]))))
    return np.sign(x) * (1.0 - poly * np.exp(-x * x))


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as the model was trained with."""
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class ReferenceEncoder:
    """Mean-pooled embeddings of token-id sequences, computed in float64."""

    def __init__(self, model: E5Bin) -> None:
        self.model = model
        self.header = model.header
        names = [n for n in model.shapes if n != "emb.word"]
        self.weights = {n: model.tensor(n).astype(np.float64) for n in names}

    def hidden_states(self, ids: Sequence[int]) -> np.ndarray:
        """Last-layer hidden states, one row per token."""
        w, h = self.weights, self.header
        rows = np.asarray(ids, dtype=np.int64)
        x = self.model.tensor("emb.word", rows=rows).astype(np.float64)
        x = x + w["emb.pos"][: len(rows)] + w["emb.type"][0]
        x = layer_norm(x, w["emb.ln.w"], w["emb.ln.b"], h.eps)
        for i in range(h.layers):
            x = self._layer(x, f"l{i}.")
        return x

    def embed(self, ids: Sequence[int]) -> np.ndarray:
        """Mean of the last hidden states over all tokens (e5's pooling)."""
        return self.hidden_states(ids).mean(axis=0)

    def _layer(self, x: np.ndarray, p: str) -> np.ndarray:
        w, h = self.weights, self.header
        n, d = x.shape[0], h.hidden // h.heads

        def heads(name: str) -> np.ndarray:
            y = x @ w[p + name + ".w"].T + w[p + name + ".b"]
            return y.reshape(n, h.heads, d).transpose(1, 0, 2)

        q, k, v = heads("q"), heads("k"), heads("v")
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(d)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        context = (scores / scores.sum(axis=-1, keepdims=True)) @ v
        context = context.transpose(1, 0, 2).reshape(n, h.hidden)
        attended = context @ w[p + "ao.w"].T + w[p + "ao.b"]
        x = layer_norm(x + attended, w[p + "aln.w"], w[p + "aln.b"], h.eps)
        mid = gelu(x @ w[p + "fi.w"].T + w[p + "fi.b"])
        out = mid @ w[p + "fo.w"].T + w[p + "fo.b"]
        return layer_norm(x + out, w[p + "oln.w"], w[p + "oln.b"], h.eps)
