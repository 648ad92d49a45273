"""``verweef config``: the YAML config file."""

from __future__ import annotations

import typer

from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, console, state
from verweefcli.errors import VerweefError

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS


@app.command("path")
def path() -> None:
    """Print where the config file is (or would be).

    Example: verweef config path
    """
    from verweefcli.paths import config_path

    print(config_path())


@app.command("show")
def show(ctx: typer.Context, fmt: opt.RecordFormat = Format.table) -> None:
    """Show the settings in effect, vocabularies included.

    Example: verweef config show --format json
    """
    config = state(ctx).config
    data = config.as_dict()
    if fmt is Format.json:
        from verweefcli.render.serialize import to_json

        print(to_json(data), end="")
        return
    import yaml

    origin = f"# from {config.path}" if config.exists else f"# defaults ({config.path} does not exist)"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    from rich.text import Text

    console().print(Text(origin + "\n" + text))


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
    print(f"Wrote {target}")
