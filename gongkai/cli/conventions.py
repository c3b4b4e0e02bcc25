"""The conventions every command follows: ``--lang`` and ``--version``, and command-line
mistakes told in gongkai's own words (the catalogue), not the argument parser's English.

The parser's errors are translated from what they carry (the option, the parameter and its
type), never from their text.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib.metadata import version
from typing import Annotated, Any

import typer
from rich.text import Text

# typer carries its own copy of click (0.29, the version tested): its parser's errors.
from typer._click import exceptions as parser_errors
from typer.core import TyperGroup

from gongkai.cli.common import err_console, set_lang, text
from gongkai.messages import DEFAULT_LANG, lang_of

LANG_ENV = "GONGKAI_LANG"
_CHOSEN = "gongkai.lang"


class Language(StrEnum):
    zh = "zh"
    en = "en"


def _use_lang(ctx: typer.Context, value: Language | None) -> Language | None:
    """``--lang`` after the command wins, then ``gongkai --lang``, then GONGKAI_LANG."""
    root = ctx.find_root()
    if value is not None:
        chosen = value.value
    elif ctx is not root and _CHOSEN in root.meta:
        chosen = root.meta[_CHOSEN]
    else:
        chosen = lang_of(os.environ.get(LANG_ENV)) or DEFAULT_LANG
    root.meta[_CHOSEN] = chosen
    set_lang(chosen)
    return value


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"gongkai {version('gongkai')}")
        raise typer.Exit()


LangOption = Annotated[Language | None, typer.Option(
    "--lang", callback=_use_lang, is_eager=True,
    help=f"Language of messages: zh (default) or en; also {LANG_ENV}.")]
VersionOption = Annotated[bool, typer.Option(
    "--version", callback=_print_version, is_eager=True, help="Print the version and exit.")]


class Refusal(parser_errors.UsageError):
    """A command-line mistake, already in the user's language: one line and a pointer to
    the command's ``--help``."""

    def __init__(self, message: str, command: str = "") -> None:
        super().__init__(message)
        self.command = command

    def show(self, file: Any = None) -> None:
        err_console.print(Text(text("cli.error", message=self.message), style="red"))
        err_console.print(text("cli.hint", command=f"gongkai {self.command}".strip()),
                          highlight=False)


def _name(param: Any) -> str:
    if param.param_type_name == "option":
        return param.opts[0]
    return param.display_name_raw


def _bad_value(param: Any) -> str:
    kind = param.type_descriptor
    if kind.is_choice and kind.choices:
        return text("cli.bad_choice", name=_name(param),
                    choices=[getattr(choice, "value", choice) for choice in kind.choices])
    if getattr(param, "min", None) is not None:
        return text("cli.bad_min", name=_name(param), min=param.min)
    if kind.annotation is int:
        return text("cli.bad_int", name=_name(param))
    return text("cli.bad_value", name=_name(param))


def _option_usage(exc: Any, command: Any) -> str:
    """``--top-k`` without its number, or ``--json=yes`` on a flag."""
    for param in getattr(command, "params", []):
        if exc.option_name in getattr(param, "opts", []) and getattr(param, "is_flag", False):
            return text("cli.bad_value", name=exc.option_name)
    return text("cli.needs_value", name=exc.option_name)


def describe(exc: parser_errors.UsageError, command: Any) -> str:
    """The parser's error in the catalogue's words; ``command`` is the one being parsed."""
    if isinstance(exc, parser_errors.NoSuchOption):
        if exc.possibilities:
            return text("cli.no_such_option_maybe", name=exc.option_name,
                        maybe=sorted(exc.possibilities))
        return text("cli.no_such_option", name=exc.option_name)
    if isinstance(exc, parser_errors.MissingParameter) and exc.param is not None:
        return text("cli.missing", name=_name(exc.param))
    if isinstance(exc, parser_errors.BadParameter) and exc.param is not None:
        return _bad_value(exc.param)
    if isinstance(exc, parser_errors.BadOptionUsage):
        return _option_usage(exc, command)
    return text("cli.usage")


@contextmanager
def _own_words(group: TyperGroup, ctx: Any) -> Iterator[None]:
    try:
        yield
    except (Refusal, parser_errors.NoArgsIsHelpError):
        raise
    except parser_errors.UsageError as exc:
        name = getattr(ctx, "invoked_subcommand", None) if ctx is not None else None
        command = group.get_command(ctx, name) if name else group
        raise Refusal(describe(exc, command), name or "") from None


class Group(TyperGroup):
    """The ``gongkai`` command group: its parser's mistakes become catalogue messages."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: Any = None, **extra: Any) -> Any:
        with _own_words(self, None):
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with _own_words(self, ctx):
            return super().invoke(ctx)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise Refusal(text("cli.no_such_command", name=name,
                               commands=self.list_commands(ctx)))
        return super().resolve_command(ctx, args)
