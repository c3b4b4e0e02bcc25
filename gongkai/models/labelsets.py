"""Label spaces of the two tasks and the paragraph rule "a group id stands alone".

Paragraph targets are *expanded* for training (a leaf also switches on its group, so the
group classifier sees every paragraph about that group) and *collapsed* for output (a
bare group id is dropped when one of its leaves is present), the form the corpus uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from gongkai.taxonomy import Taxonomy


def request_labels(taxonomy: Taxonomy) -> list[str]:
    return list(taxonomy.leaf_ids)


def paragraph_labels(taxonomy: Taxonomy) -> list[str]:
    """Leaf ids, then the group ids that are not leaves themselves."""
    leaves = taxonomy.leaf_ids
    return leaves + [group for group in taxonomy.group_ids if group not in leaves]


def expand(labels: Iterable[str], taxonomy: Taxonomy) -> set[str]:
    """The labels plus the group of each of them."""
    return {*labels, *(taxonomy.group_of(label) for label in labels)}


def collapse(labels: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    """Drop a bare group id when one of its own leaves is present; taxonomy order."""
    labels = set(labels)
    named = {taxonomy.group_of(label) for label in labels if label in taxonomy.leaf_ids}
    kept = {label for label in labels if label in taxonomy.leaf_ids or label not in named}
    order = paragraph_labels(taxonomy)
    return sorted(kept, key=order.index)


def groups(labels: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    """Group ids of the labels, in taxonomy order."""
    found = {taxonomy.group_of(label) for label in labels}
    return [group for group in taxonomy.group_ids if group in found]


def label_space(task: str, taxonomy: Taxonomy) -> list[str]:
    """The probability columns of a model of ``task``."""
    return request_labels(taxonomy) if task == "request" else paragraph_labels(taxonomy)


def target_matrix(targets: Sequence[Any], task: str, labels: list[str],
                  taxonomy: Taxonomy) -> np.ndarray:
    """Leaf ids as indices into ``labels`` (requests), or label lists as the expanded
    indicator matrix over ``labels`` (paragraphs: a leaf also switches on its group)."""
    if task == "request":
        index = {label: j for j, label in enumerate(labels)}
        return np.array([index[label] for label in targets], dtype=np.int64)
    return np.array([[label in expand(chosen, taxonomy) for label in labels]
                     for chosen in targets], dtype=int).reshape(len(targets), len(labels))
