"""Pretrained-encoder models: fine-tuned (torch, ONNX int8) and frozen embeddings + LR.

Heavy libraries (torch, transformers, onnxruntime) are imported by the modules that need
them only, so the TF-IDF path and the CLI start without them.
"""
