"""Training code: segmentation, corpora and classifiers."""
