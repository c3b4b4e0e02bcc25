"""Label ids as people read them: Chinese names, the taxonomy's order, the label tree.

Every table and chart of the notebooks goes through these, so that a label is named and
ordered the same way everywhere (the taxonomy's table order, ``none`` last).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from gongkai.models.labelsets import paragraph_labels
from gongkai.taxonomy import Taxonomy, load_taxonomy

NONE = "none"  # a paragraph without any disposition label
NAME_CHARS = 12  # axis labels are cut to this many characters


def label_name(label: str, taxonomy: Taxonomy | None = None) -> str:
    """The Chinese name of a leaf or group id; any other label (``none``) stays as it is."""
    taxonomy = taxonomy or load_taxonomy()
    known = set(taxonomy.leaf_ids) | set(taxonomy.group_ids)
    return taxonomy.name(label) if label in known else label


def display_names(labels: Sequence[str], font: str | None) -> list[str]:
    """Axis labels: short Chinese names when a Chinese font can draw them, else the ids
    (a chart without the font would show empty boxes)."""
    if font is None:
        return list(labels)
    taxonomy = load_taxonomy()
    return [label_name(label, taxonomy)[:NAME_CHARS] for label in labels]


def label_order(labels: Iterable[str]) -> list[str]:
    """``labels`` in the taxonomy's table order (leaves, bare groups), ``none`` and any
    unknown label last."""
    order = [*paragraph_labels(load_taxonomy()), NONE]
    return sorted(labels, key=lambda label: order.index(label) if label in order else len(order))


def label_tree(taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """The six groups and their leaves, in table order, with legal basis and definition.

    Indexed by (group, leaf); ``in_2019`` / ``in_2021`` say whether the leaf has a row of
    its own in that template (the three (六) leaves exist only since 2021)."""
    taxonomy = taxonomy or load_taxonomy()
    rows = [{"group": f"{group.marker}{group.name}", "leaf": leaf.id, "name": leaf.name,
             "legal_basis": leaf.legal_basis, "definition": leaf.definition,
             "in_2019": bool(leaf.rows_2019), "in_2021": bool(leaf.rows_2021)}
            for group in taxonomy.groups for leaf in taxonomy.leaves_of(group.id)]
    return pd.DataFrame(rows).set_index(["group", "leaf"])


def with_names(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (indexed by label) with the label's group and Chinese name in front, so
    that a table of ids can be read without the taxonomy at hand."""
    taxonomy = load_taxonomy()
    groups = [taxonomy.group_of(label) if label != NONE else NONE for label in table.index]
    names = [label_name(label, taxonomy) for label in table.index]
    return table.assign(group=groups, name=names)[["group", "name", *table.columns]]
