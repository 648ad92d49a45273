"""``verweef config``: the YAML config file."""

from __future__ import annotations

from typing import Any

import typer

from verweefcli.cli import options as opt
from verweefcli.cli.common import DocFormat, emit_document, out, say, state
from verweefcli.errors import VerweefError

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS


@app.command("path")
def path() -> None:
    """Print where the config file is (or would be).

    Example: verweef config path
    """
    from verweefcli.paths import config_path

    out(f"{config_path()}\n")


@app.command("show")
def show(ctx: typer.Context, fmt: opt.DocumentFormat = DocFormat.table) -> None:
    """Show the settings in effect, vocabularies included.

    Example: verweef config show --format json
    """
    config = state(ctx).config

    def as_yaml(data: dict[str, Any]) -> Any:
        import yaml
        from rich.text import Text

        origin = f"# from {config.path}" if config.exists else f"# defaults ({config.path} does not exist)"
        return Text(origin + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    emit_document(config.as_dict(), fmt, as_yaml)


@app.command("init")
def init() -> None:
    """Write a commented config file to start from (never overwrites one).

    Example: verweef config init
    """
    from verweefcli.config import TEMPLATE
    from verweefcli.paths import config_path

    target = config_path()
    if target.exists():
        raise VerweefError(f"{target} already exists; edit it instead")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(TEMPLATE, encoding="utf-8")
    say(f"Wrote {target}")
