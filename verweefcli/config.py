"""The YAML config file: defaults for the user and extra vocabulary terms.

Every problem is reported as ``FILE:LINE: what is wrong``. The file is optional;
YAML is only imported when it exists, to keep start-up fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verweefcli.errors import ConfigError
from verweefcli.vocab import EXTENDABLE, LANGUAGES, Term, Vocabulary
from verweefcli.yamlnodes import NodeReader

if TYPE_CHECKING:
    import yaml

KEYS = ("db", "coach", "region", "language", "vocabularies")
_KEY_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
_TERM_FIELDS = ("nl", "en", "category")

TEMPLATE = """\
# verweef configuration. Every key is optional.
#
# db: ~/Documents/verweef.db      # where the database lives (relative paths: next to this file)
# coach: An Peeters               # you: shown as the author of reports
# region: Gent                    # default region for new sites, contacts and activities
# language: nl                    # report language: nl or en
#
# Extra vocabulary terms (the shipped ones stay). A key is lowercase ASCII with
# dashes; give a Dutch and an English label, and a category for activity kinds.
# vocabularies:
#   activity_kinds:
#     workshop: {category: knowledge, nl: Workshop, en: Workshop}
#   site_kinds:
#     loods: {nl: Loods, en: Warehouse}
#   contact_roles: [architect]
"""


@dataclass
class Config:
    path: Path
    exists: bool = False
    db: str | None = None
    coach: str | None = None
    region: str | None = None
    language: str = "nl"
    vocab: Vocabulary = field(default_factory=Vocabulary)

    def as_dict(self) -> dict[str, Any]:
        """The effective settings, vocabularies included, for ``config show``."""
        vocabularies: dict[str, Any] = {}
        for name in (*EXTENDABLE, "coach_statuses"):
            vocabularies[name] = {
                term.key: {
                    k: v for k, v in (("nl", term.nl), ("en", term.en), ("category", term.category)) if v is not None
                }
                for term in self.vocab.terms(name).values()
            }
        return {
            "db": self.db,
            "coach": self.coach,
            "region": self.region,
            "language": self.language,
            "vocabularies": vocabularies,
        }


def load_config(path: Path) -> Config:
    config = Config(path=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from None
    config.exists = True
    reader = _Reader(path, config)
    root = reader.compose(text)
    if root is None:
        return config
    reader.read(root)
    return config


class _Reader(NodeReader):
    def __init__(self, path: Path, config: Config) -> None:
        super().__init__(path, ConfigError)
        self.config = config

    def read(self, root: yaml.Node) -> None:
        config = self.config
        for key, key_node, value in self.mapping(root, "the config file"):
            if key not in KEYS:
                raise self.fail(key_node, f"unknown key {key!r} (known: {', '.join(KEYS)})")
            if key == "vocabularies":
                self.vocabularies(value)
                continue
            text = self.scalar(value, key)
            if key == "db" and text:
                db = Path(text).expanduser()
                config.db = str(db if db.is_absolute() else self.path.parent / db)
            elif key == "language":
                if text not in LANGUAGES:
                    raise self.fail(value, f"language must be one of {', '.join(LANGUAGES)}")
                config.language = text
            elif key == "coach":
                config.coach = text
            elif key == "region":
                config.region = text

    def vocabularies(self, node: yaml.Node) -> None:
        import yaml

        for name, key_node, value in self.mapping(node, "vocabularies"):
            if name not in EXTENDABLE:
                raise self.fail(key_node, f"unknown vocabulary {name!r} (known: {', '.join(EXTENDABLE)})")
            entries: list[tuple[str, yaml.Node, yaml.Node | None]]
            if isinstance(value, yaml.SequenceNode):
                entries = [(self.scalar(item, name) or "", item, None) for item in value.value]
            else:
                entries = [(k, kn, v) for k, kn, v in self.mapping(value, name)]
            for term_key, term_node, term_value in entries:
                self.term(name, term_key, term_node, term_value)

    def term(self, name: str, term_key: str, term_node: yaml.Node, term_value: yaml.Node | None) -> None:
        """One term of a vocabulary: ``key``, ``key: Label`` or ``key: {nl, en, category}``."""
        vocab = self.config.vocab
        if not _KEY_RE.fullmatch(term_key):
            raise self.fail(
                term_node, f"{name}: {term_key!r} is not a valid key (lowercase letters, digits and dashes)"
            )
        labels = self.labels(name, term_key, term_value)
        category = self.category(name, term_key, term_node, labels.get("category"))
        existing = vocab.terms(name).get(term_key)
        default_label = term_key.replace("-", " ").capitalize()
        vocab.extend(
            name,
            Term(
                term_key,
                labels.get("nl") or (existing.nl if existing else default_label),
                labels.get("en") or (existing.en if existing else default_label),
                category,
            ),
        )

    def labels(self, name: str, term_key: str, term_value: yaml.Node | None) -> dict[str, str | None]:
        import yaml

        if term_value is None or self.is_null(term_value):
            return {}
        if isinstance(term_value, yaml.ScalarNode):
            label = self.scalar(term_value, term_key)
            return {"nl": label, "en": label}
        labels: dict[str, str | None] = {}
        for field_name, field_node, field_value in self.mapping(term_value, f"{name}.{term_key}"):
            if field_name not in _TERM_FIELDS:
                raise self.fail(
                    field_node, f"{name}.{term_key}: unknown field {field_name!r} (known: {', '.join(_TERM_FIELDS)})"
                )
            labels[field_name] = self.scalar(field_value, field_name)
        return labels

    def category(self, name: str, term_key: str, term_node: yaml.Node, category: str | None) -> str | None:
        """An activity kind's category: needed for a new kind, and one of the known categories."""
        vocab = self.config.vocab
        if category is None:
            if name == "activity_kinds" and term_key not in vocab.activity_kinds:
                known = ", ".join(vocab.activity_categories)
                raise self.fail(term_node, f"{name}.{term_key}: a new activity kind needs a category ({known})")
            return None
        if name != "activity_kinds":
            raise self.fail(term_node, f"{name}: only activity kinds have a category")
        if category not in vocab.activity_categories:
            known = ", ".join(vocab.activity_categories)
            raise self.fail(term_node, f"{name}.{term_key}: unknown category {category!r} (known: {known})")
        return category
