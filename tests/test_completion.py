"""Shell completion: the script of ``verweef --show-completion``, run in a real bash, and zsh's and fish's.

Completion runs ``verweef`` again on every <TAB>, so these tests run the
installed ``verweef`` (the one next to this Python) as a real process.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
BASH = shutil.which("bash")
MARK = "--- next ---"

pytestmark = pytest.mark.skipif(BASH is None, reason="no bash")


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VERWEEF_", "_VERWEEF_", "_TYPER_", "COMP_"))}
    env.update(VERWEEF_HOME=str(home), PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", **extra)
    return env


def bash_complete(
    lines: list[str], env: dict[str, str], script: str = 'eval "$(verweef --show-completion)"'
) -> list[list[str]]:
    """Load the completion script in bash and complete each command line (its last word is being typed).

    As bash does on <TAB>: COMP_WORDS holds the words as typed (quotes included),
    COMP_CWORD the index of the last one, and the function gets the command name.
    """
    assert BASH is not None  # the module is skipped without bash
    assert (BIN / "verweef").exists(), "verweef is not installed next to this Python"
    calls = [script, "set -u"]
    for line in lines:
        words = line.split(" ")  # the words as bash splits them (no spaces inside the words used here)
        calls.append(
            f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); COMP_CWORD={len(words) - 1}; "
            f"COMPREPLY=(); _verweef_completion verweef {shlex.quote(words[-1])} {shlex.quote(words[-2])}; "
            f"printf '%s\\n' \"${{COMPREPLY[@]}}\" '{MARK}'"
        )
    result = subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", "\n".join(calls)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    blocks = result.stdout.split(f"{MARK}\n")
    assert blocks[-1] == ""
    return [[item for item in block.split("\n") if item] for block in blocks[:-1]]


@pytest.mark.usefixtures("gent")
def test_bash_completes_commands_and_names_from_the_database(home: Path) -> None:
    answers = bash_complete(
        [
            "verweef vi",
            'verweef visit add "Brou',
            "verweef visit add Brou",
            "verweef visit add 'oude",
            'verweef site show "',
            "verweef activity add --contact An",
            "verweef visit list --region G",
            "verweef report quarterly --region ",
            "verweef visit add --",
        ],
        environment(home),
    )
    assert answers[0] == ["visit"]
    assert answers[1] == ["Brouwerij De Zwaan"]  # bash closes the quote
    assert answers[2] == ["Brouwerij\\ De\\ Zwaan"]  # a bare word: spaces escaped
    assert answers[3] == ["oude Weverij"]  # names match ignoring case, as references do
    assert answers[4] == ["Brouwerij De Zwaan", "Oude Weverij"]
    assert answers[5] == ["An\\ Peeters"]
    assert answers[6] == ["Gent"]
    assert answers[7] == ["Gent"]
    assert {"--date", "--contact", "--minutes", "--help"} <= set(answers[8])
    assert "--install-completion" not in answers[8]


def test_bash_completes_vocabulary_with_the_config_files_terms(home: Path) -> None:
    (home / "config.yaml").write_text("vocabularies:\n  site_kinds:\n    loods: {nl: Loods, en: Warehouse}\n")
    answers = bash_complete(
        [
            "verweef site add X --kind comp",
            "verweef site add X --kind lo",
            "verweef site list --stage ",
            "verweef contact add X --role wijk",
            "verweef region list --status app",
            "verweef activity list --kind plan",
            "verweef activity list --category ",
            "verweef import ",
            "verweef export s",
            "verweef site list --format ",
        ],
        environment(home),
    )
    assert answers[0] == ["company-site"]
    assert answers[1] == ["loods"]
    assert answers[2] == ["identified", "visited", "studied", "candidate", "woven", "dropped"]
    assert answers[3] == ["wijkregisseur"]
    assert answers[4] == ["appointed"]
    assert answers[5] == ["plan-review"]
    assert answers[6] == ["knowledge", "local", "internal"]
    assert answers[7] == [
        "regions", "sites", "contacts", "companies", "requests", "activities", "nuisance", "measures",
    ]  # fmt: skip
    assert answers[8] == ["sites"]
    assert answers[9] == ["table", "json", "csv"]
    assert not (home / "verweef.db").exists()


@pytest.mark.usefixtures("gent")
def test_the_database_of_db_option_and_env_is_used(db_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    shutil.copy(db_file, other)
    empty = tmp_path / "empty"
    empty.mkdir()
    by_option = bash_complete([f"verweef --db {other} site show Ou"], environment(empty))
    by_env = bash_complete(["verweef site show Ou"], environment(empty, VERWEEF_DB=str(other)))
    assert by_option == by_env == [["Oude\\ Weverij"]]
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize("problem", ["no database", "missing folder", "not a database", "bad config"])
def test_completion_never_fails_loudly_nor_creates_a_database(problem: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = environment(home)
    if problem == "missing folder":
        env["VERWEEF_DB"] = str(tmp_path / "nowhere" / "verweef.db")
    elif problem == "not a database":
        (home / "verweef.db").write_text("not SQLite")
    elif problem == "bad config":
        (home / "config.yaml").write_text("db: [unclosed\n")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for line in ('verweef visit add "Brou', "verweef site list --kind comp"):
        words = line.split(" ")
        result = subprocess.run(
            [str(BIN / "verweef")],
            env={
                **env,
                "_VERWEEF_COMPLETE": "complete_bash",
                "COMP_WORDS": "\n".join(words),
                "COMP_CWORD": str(len(words) - 1),
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.split() == ["company-site"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.usefixtures("gent")
def test_install_completion_writes_the_roots_script(home: Path, tmp_path: Path) -> None:
    """The installed script completes ``verweef`` (it said 'Shell bash not supported' when it came from a group)."""
    user = tmp_path / "user"
    user.mkdir()
    env = environment(home, HOME=str(user), _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    result = subprocess.run(
        [str(BIN / "verweef"), "--install-completion", "bash"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    script = user / ".bash_completions" / "verweef.sh"
    assert f"source '{script}'" in (user / ".bashrc").read_text()
    answers = bash_complete(["verweef vi", 'verweef visit add "Brou'], environment(home), f"source {script}")
    assert answers == [["visit"], ["Brouwerij De Zwaan"]]


def show_completion(shell: str, home: Path) -> str:
    # Typer's own switch to name the shell instead of detecting it
    env = environment(home, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    result = subprocess.run(
        [str(BIN / "verweef"), "--show-completion", shell], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.usefixtures("gent")
def test_zsh_and_fish_scripts(home: Path) -> None:
    from typer._completion_shared import get_completion_script  # where typer defines it (typer.completion imports it)

    scripts = {shell: show_completion(shell, home) for shell in ("bash", "zsh", "fish")}
    for shell, script in scripts.items():
        assert script.strip() == get_completion_script(
            prog_name="verweef", complete_var="_VERWEEF_COMPLETE", shell=shell
        )
        assert f"_VERWEEF_COMPLETE=complete_{shell}" in script
        checker = {"bash": ["-n"], "zsh": ["-n"], "fish": ["--no-execute"]}[shell]
        if shutil.which(shell):
            checked = subprocess.run([shell, *checker], input=script, capture_output=True, text=True, timeout=60)
            assert checked.returncode == 0, checked.stderr
    assert "compdef _verweef_completion verweef" in scripts["zsh"]
    fish = scripts["fish"]
    assert fish.startswith("complete --command verweef --no-files --arguments ")
    assert fish.count('"') % 2 == 0 and fish.count("(") == fish.count(")")

    # what those scripts ask verweef on <TAB>
    def ask(shell: str, line: str, **extra: str) -> str:
        env = environment(home, _VERWEEF_COMPLETE=f"complete_{shell}", _TYPER_COMPLETE_ARGS=line, **extra)
        result = subprocess.run([str(BIN / "verweef")], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        return result.stdout.rstrip("\n")

    assert ask("zsh", "verweef visit add Brou") == "_arguments '*: :((\"Brouwerij De Zwaan\"))'"
    assert ask("zsh", "verweef vi") == "_arguments '*: :((\"visit\":\"Site visits (activities of kind ''visit'').\"))'"
    fish_answer = ask("fish", "verweef site add X --kind vac", _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert fish_answer == "vacant-building\tLeegstaand pand"
    assert ask("fish", "verweef visit add Brou", _TYPER_COMPLETE_FISH_ACTION="get-args") == "Brouwerij De Zwaan"
