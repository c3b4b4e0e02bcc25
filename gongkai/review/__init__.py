"""The human review loop: pick the predictions a person should look at, hand them to Label
Studio pre-annotated, and read the labels people gave back into the corrections store
(``gongkai.corrections``), from which training learns.

It reads prediction files and writes task files: a program of its own, beside training,
archive and serving. The command line (``gongkai review``) reads the files and the model
metadata; these modules only shape the data.
"""
