"""The model card's section on an encoder model: base model, long texts, vocabulary,
fine-tuning and ONNX parity, from the ``encoder`` part of ``metadata.json``."""

from __future__ import annotations

from typing import Any

from gongkai.models.metadata import ModelMetadata


def _lengths(lengths: dict[str, Any]) -> str:
    rows = ["| texts | p50 | p90 | p95 | p99 | max |", "|---|---|---|---|---|---|"]
    for split, title in (("train", "training split"),
                         ("train_and_validation", "training and validation")):
        values = lengths.get(split, {})
        rows.append(f"| {title} | " + " | ".join(str(values.get(key, "–")) for key in (
            "p50", "p90", "p95", "p99", "max")) + " |")
    return "\n".join(rows)


def _vocabulary(vocabulary: dict[str, Any]) -> str:
    if "pieces_before" not in vocabulary:
        return f"Vocabulary not trimmed ({vocabulary.get('reason', 'not tried')})."
    verdict = ("kept" if vocabulary["trimmed"] else
               "undone: validation got worse, the full vocabulary is saved")
    return (f"Vocabulary trimmed from {vocabulary['pieces_before']:,} to "
            f"{vocabulary['pieces_after']:,} pieces (word-embedding parameters "
            f"{vocabulary['embedding_parameters_before']:,} → "
            f"{vocabulary['embedding_parameters_after']:,}); validation macro-F1 "
            f"{vocabulary['validation_macro_f1_full']:.4f} with the full vocabulary, "
            f"{vocabulary['validation_macro_f1_trimmed']:.4f} trimmed, top-1 agreement "
            f"{vocabulary['validation_top1_agreement']:.4f}: {verdict}.")


def encoder_section(metadata: ModelMetadata) -> str:
    """Markdown for the card; empty for the other kinds."""
    encoder = metadata.encoder
    if not encoder:
        return ""
    base = encoder.get("base_model", {})
    lengths = encoder.get("token_lengths", {})
    parts = [
        "## Encoder",
        "",
        f"Base model `{base.get('name', '?')}` ({base.get('model_type', '?')}), mean-pooled, "
        f"input prefixed with `{encoder['windows']['prefix']}`.",
        "",
        "Token lengths (with special and prefix tokens):",
        "",
        _lengths(lengths),
        "",
        f"Long texts: {lengths.get('strategy', '–')}; "
        f"{lengths.get('truncated_share_train', 0):.1%} of the training texts are longer "
        "than one window.",
        "",
        _vocabulary(encoder.get("vocabulary", {})),
    ]
    fit = encoder.get("fit")
    if fit:
        config = fit["config"]
        parts += ["", f"Fine-tuned up to {config['epochs']} epochs (best: epoch "
                  f"{fit['best_epoch']}, early stopping on validation macro-F1), batch "
                  f"{config['batch_size']}, learning rate {config['learning_rate']} "
                  f"(head {config['head_learning_rate']}), word embeddings "
                  f"{'frozen' if config['freeze_embeddings'] else 'trained'}, seed "
                  f"{config['seed']}; {fit['seconds'] / 60:.1f} min on CPU."]
    parity = encoder.get("parity")
    if parity:
        parts += ["", f"ONNX opset {encoder['onnx']['opset']}, dynamic int8 "
                  f"({encoder['onnx']['int8_bytes'] / 2**20:.1f} MiB, float32 export "
                  f"{encoder['onnx']['float32_bytes'] / 2**20:.1f} MiB); kept float32: "
                  f"{encoder['onnx'].get('plan', 'output projections')} (the "
                  "lightest plan that agrees with the float model on validation). Against "
                  "the torch "
                  f"model on the {parity['split']} split ({parity['texts']} texts): top-1 "
                  f"agreement {parity['top1_agreement']:.4f}, probability difference max "
                  f"{parity['max_abs_probability_difference']:.4f}, mean "
                  f"{parity['mean_abs_probability_difference']:.5f}."]
    return "\n".join(parts) + "\n\n"
