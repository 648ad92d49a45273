"""Where verweef keeps its config file and its database."""

from __future__ import annotations

import os
from pathlib import Path

APP = "verweef"
CONFIG_NAME = "config.yaml"
DB_NAME = "verweef.db"


def _home() -> Path | None:
    home = os.environ.get("VERWEEF_HOME")
    return Path(home).expanduser() if home else None


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home
    import platformdirs

    return platformdirs.user_config_path(APP)


def data_dir() -> Path:
    home = _home()
    if home is not None:
        return home
    import platformdirs

    return platformdirs.user_data_path(APP)


def config_path() -> Path:
    """``VERWEEF_CONFIG`` if set, else ``config.yaml`` in the config folder."""
    explicit = os.environ.get("VERWEEF_CONFIG")
    return Path(explicit).expanduser() if explicit else config_dir() / CONFIG_NAME


def default_db_path() -> Path:
    return data_dir() / DB_NAME


def resolve_db_path(option: str | None, configured: str | None) -> tuple[Path, str]:
    """The database to use and where that choice came from.

    Order: ``--db`` > ``VERWEEF_DB`` > ``db:`` in the config file > default.
    """
    if option:
        return Path(option).expanduser(), "--db"
    env = os.environ.get("VERWEEF_DB")
    if env:
        return Path(env).expanduser(), "VERWEEF_DB"
    if configured:
        return Path(configured).expanduser(), "config"
    return default_db_path(), "default"
