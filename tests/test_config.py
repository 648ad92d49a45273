"""The YAML config file: keys, vocabularies, and errors with file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run

from verweefcli.config import load_config
from verweefcli.errors import ConfigError


def write(home: Path, text: str) -> Path:
    path = home / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_defaults(home: Path) -> None:
    config = load_config(home / "config.yaml")
    assert not config.exists
    assert config.language == "nl"
    assert "visit" in config.vocab.activity_kinds


def test_unknown_key_names_file_and_line(home: Path, cli: Run) -> None:
    path = write(home, "coach: An\n\nregoin: Gent\n")
    with pytest.raises(ConfigError, match=r"config.yaml:3: unknown key 'regoin'"):
        load_config(path)
    result = cli("region", "list")
    assert result.exit_code == 1
    assert f"{path}:3: unknown key 'regoin'" in result.stderr


def test_invalid_yaml_names_the_line(home: Path) -> None:
    path = write(home, "coach: An\nregion: [Gent\n")
    with pytest.raises(ConfigError, match=r"config.yaml:\d+: invalid YAML"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("language: fr\n", ":1: language must be one of nl, en"),
        ("vocabularies:\n  colours: [red]\n", ":2: unknown vocabulary 'colours'"),
        (
            "vocabularies:\n  activity_kinds:\n    workshop: {nl: Workshop}\n",
            ":3: activity_kinds.workshop: a new activity kind needs a category",
        ),
        (
            "vocabularies:\n  activity_kinds:\n    workshop: {category: fun}\n",
            ":3: activity_kinds.workshop: unknown category 'fun'",
        ),
        ("vocabularies:\n  site_kinds:\n    Loods: {}\n", ":3: site_kinds: 'Loods' is not a valid key"),
        (
            "vocabularies:\n  site_kinds:\n    loods: {colour: red}\n",
            ":3: site_kinds.loods: unknown field 'colour'",
        ),
        ("coach: [a, b]\n", ":1: coach must be a single value"),
        ("- a\n- b\n", ":1: the config file must be a mapping"),
        ("coach: a\ncoach: b\n", ":2: 'coach' appears twice"),
    ],
)
def test_bad_config(home: Path, text: str, message: str) -> None:
    path = write(home, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value)


def test_extend_vocabularies(home: Path, ok: Run) -> None:
    write(
        home,
        "language: en\n"
        "vocabularies:\n"
        "  activity_kinds:\n"
        "    workshop: {category: knowledge, nl: Workshop, en: Workshop}\n"
        "    visit: {nl: Bezoek ter plaatse}\n"
        "  site_kinds: [loods]\n"
        "  contact_roles:\n"
        "    architect: Architect\n",
    )
    shown = json.loads(ok("config", "show", "-f", "json").stdout)
    kinds = shown["vocabularies"]["activity_kinds"]
    assert kinds["workshop"] == {"nl": "Workshop", "en": "Workshop", "category": "knowledge"}
    assert kinds["visit"] == {"nl": "Bezoek ter plaatse", "en": "Site visit", "category": "local"}
    assert shown["vocabularies"]["site_kinds"]["loods"] == {"nl": "Loods", "en": "Loods"}
    assert shown["language"] == "en"
    ok("region", "add", "Gent")
    ok("site", "add", "Hal 3", "--region", "Gent", "--kind", "loods")
    ok("contact", "add", "Eva", "--role", "architect")
    record = json.loads(ok("activity", "add", "--kind", "workshop", "--region", "Gent", "-f", "json").stdout)
    assert record["kind"] == "workshop"
    assert [a["id"] for a in json.loads(ok("activity", "list", "--category", "knowledge", "-f", "json").stdout)] == [1]


def test_config_path_show_init(home: Path, ok: Run, cli: Run) -> None:
    assert ok("config", "path").stdout.strip() == str(home / "config.yaml")
    assert "does not exist" in ok("config", "show").stdout
    ok("config", "init")
    assert (home / "config.yaml").exists()
    load_config(home / "config.yaml")  # the template itself is valid
    assert cli("config", "init").exit_code == 1


def test_relative_db_is_next_to_the_config(home: Path) -> None:
    config = load_config(write(home, "db: data/my.db\n"))
    assert config.db == str(home / "data" / "my.db")
