"""A SentencePiece ``precompiled_charsmap`` built from a per-codepoint normalisation map.

``tokenizers`` normalises SentencePiece text only through such a charsmap: a u32 byte
length, a double-array trie (darts-clone units) over the UTF-8 bytes of each source
character, then the replacement strings, each ending in NUL.  A trie leaf holds the
byte offset of its replacement.  Children of a node sit at ``base ^ label``; the leaf
sits at ``base ^ 0``; bases are unique so a child can only be reached from its parent.
"""

from __future__ import annotations

import struct
from collections import deque

import numpy as np

_LEAF_BIT = 1 << 31
_HAS_LEAF_BIT = 1 << 8
_MAX_OFFSET = 1 << 21


def precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """Charsmap bytes that replace each codepoint in ``mapping`` by its string."""
    if 0 in mapping:
        raise ValueError("U+0000 cannot be a charsmap key")
    blob = bytearray()
    offsets: dict[str, int] = {}
    trie: dict = {}
    for codepoint in sorted(mapping):
        out = mapping[codepoint]
        if out not in offsets:
            offsets[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(codepoint).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[0] = offsets[out]
    units = _double_array(trie)
    return struct.pack("<I", units.nbytes) + units.tobytes() + bytes(blob)


def _double_array(trie: dict) -> np.ndarray:
    """darts-clone units of a byte trie whose label-0 entries are leaf values."""
    labels: dict[int, int] = {}
    offsets: dict[int, int] = {0: 0}
    leaves: dict[int, int] = {}
    has_leaf: set[int] = set()
    used = bytearray(1024)
    used[0] = 1
    used_bases: set[int] = set()
    first_free = 1
    queue: deque[tuple[int, dict]] = deque([(0, trie)])
    while queue:
        position, node = queue.popleft()
        children = sorted(node)
        while used[first_free]:
            first_free += 1
        base = _find_base(children, used, used_bases, first_free)
        used_bases.add(base)
        offsets[position] = position ^ base
        for label in children:
            child = base ^ label
            used[child] = 1
            if label == 0:
                leaves[child] = node[0]
                has_leaf.add(position)
            else:
                labels[child] = label
                queue.append((child, node[label]))
    size = max([*labels, *leaves, *offsets]) + 1
    units = np.zeros(size, dtype="<u4")
    for position, offset in offsets.items():
        if offset >= _MAX_OFFSET:
            raise ValueError("charsmap trie grew too large for darts offsets")
        units[position] |= offset << 10
    for position, label in labels.items():
        units[position] |= label
    for position in has_leaf:
        units[position] |= _HAS_LEAF_BIT
    for position, value in leaves.items():
        units[position] = value | _LEAF_BIT
    return units


def _find_base(children: list[int], used: bytearray, used_bases: set[int], start: int) -> int:
    """The first unused base from ``start`` whose child slots are all free."""
    position = start
    while True:
        if position + 512 > len(used):
            used.extend(bytes(len(used)))
        if not used[position]:
            base = position ^ children[0]
            if base and base not in used_bases and not any(used[base ^ c] for c in children):
                return base
        position += 1
