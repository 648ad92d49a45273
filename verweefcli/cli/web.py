"""``verweef web``: the database in Datasette, read-only; or a copy and metadata to publish."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from verweefcli.cli.common import say, state


def web_command(
    ctx: typer.Context,
    port: Annotated[
        int, typer.Option("--port", "-p", min=1, max=65535, metavar="PORT", help="Port to serve on.")
    ] = 8001,
    publish: Annotated[
        Path | None,
        typer.Option("--publish", metavar="DIR", help="Write a copy and metadata for publishing into this folder."),
    ] = None,
) -> None:
    """Browse the database with Datasette, read-only (pip install 'verweef[web]').

    Tables with Dutch titles and facets, search, and queries for the common questions (activities,
    agenda, sites per stage, a quarter per region). --publish writes what `datasette publish` or a
    static host needs: a copy without verweef's bookkeeping nor contacts' e-mail, phone and notes.

    Example: verweef web --port 8001
    """
    from verweefcli import web

    db_path, _ = state(ctx).db_path()
    if not db_path.is_file():
        from verweefcli.errors import VerweefError

        raise VerweefError(f"{db_path}: no database yet")
    if publish is not None:
        target, meta = web.publish(db_path, publish)
        say(f"Wrote {target} and {meta}. Then: datasette publish cloudrun {target} -m {meta}")
        return
    web.need_datasette()
    from verweefcli.domain.search_index import ready

    ready(state(ctx).store(write=False))  # Datasette's search reads the index as it is (a copy to publish: in publish)
    state(ctx).close()
    with tempfile.TemporaryDirectory(prefix="verweef-web-") as folder:
        meta_path = Path(folder) / "metadata.json"
        meta_path.write_text(json.dumps(web.metadata(db_path.stem, web.columns_of(db_path))), encoding="utf-8")
        say(f"Datasette on http://127.0.0.1:{port}/ (read-only; Ctrl+C stops it)")
        command = [sys.executable, "-m", "datasette", "serve", str(db_path), "-m", str(meta_path), "-p", str(port)]
        subprocess.run([*command, "--setting", "default_allow_sql", "off"], check=False)
