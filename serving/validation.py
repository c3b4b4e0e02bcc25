"""Request-validation errors in gongkai's words: pydantic's error types and context (which
are stable) become catalogue messages; its English text is never shown."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gongkai.messages import Lang, say

TYPE_KINDS = {
    "string_type": "string", "int_type": "integer", "int_parsing": "integer",
    "int_from_float": "integer", "float_type": "number", "float_parsing": "number",
    "bool_type": "boolean", "bool_parsing": "boolean", "list_type": "list",
    "dict_type": "object", "model_type": "object", "model_attributes_type": "object",
}
SIMPLE = {"missing": "valid.missing", "extra_forbidden": "valid.extra",
          "string_too_short": "valid.empty", "texts_or_items": "valid.texts_or_items",
          # the one pattern of the API: a report text that is not blank
          "string_pattern_mismatch": "valid.empty"}
_QUOTED = re.compile(r"'([^']*)'")


def problem(error: Mapping[str, Any], lang: Lang) -> str:
    """What is wrong with one value, from pydantic's error type and context."""
    kind, context = error["type"], error.get("ctx") or {}
    if kind in SIMPLE:
        return say(SIMPLE[kind], lang)
    if kind == "too_short":
        return say("valid.too_short", lang, min=context.get("min_length", 1))
    if kind in ("greater_than_equal", "greater_than"):
        return say("valid.min", lang, min=context.get("ge", context.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return say("valid.max", lang, max=context.get("le", context.get("lt")))
    if kind in ("enum", "literal_error"):
        return say("valid.choice", lang, choices=_QUOTED.findall(str(context.get("expected"))))
    if kind in TYPE_KINDS:
        return say("valid.type", lang, kind=say(f"kind.{TYPE_KINDS[kind]}", lang))
    return say("valid.other", lang)


def field_name(location: Sequence[str | int], lang: Lang) -> str:
    """``("body", "texts", 0)`` → ``texts[0]``."""
    parts = [part for part in location if part not in ("body", "query", "path")]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else f"{'.' if name else ''}{part}"
    return name or say("api.body", lang)


def describe(errors: Iterable[Mapping[str, Any]], lang: Lang) -> str:
    """Every error as ``field: problem``, joined."""
    separator = "；" if lang == "zh" else "; "
    return separator.join(say("api.invalid", lang, field=field_name(error["loc"], lang),
                              problem=problem(error, lang)) for error in errors)
