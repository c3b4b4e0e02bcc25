"""How the file's tensors map one-to-one onto a Hugging Face ``BertModel`` (no pooler)."""

from __future__ import annotations

from gongkai.training.base_model.e5bin import Header

_EMBEDDINGS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_SUFFIX = {"w": "weight", "b": "bias"}


def hf_names(header: Header) -> dict[str, str]:
    """File tensor name -> ``BertModel`` state-dict key, for every tensor."""
    names = dict(_EMBEDDINGS)
    for i in range(header.layers):
        for part, module in _LAYER.items():
            for short, long in _SUFFIX.items():
                names[f"l{i}.{part}.{short}"] = f"encoder.layer.{i}.{module}.{long}"
    return names


def bert_config(header: Header, pad_id: int) -> dict:
    """``config.json`` for a ``BertModel`` with the file's sizes (exact-erf GELU, as trained)."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header.vocab,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": header.eps,
        "pad_token_id": pad_id,
        "position_embedding_type": "absolute",
    }
