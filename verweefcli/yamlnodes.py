"""Reading small YAML files (config, mapping profiles) with the line of every problem.

The file is composed into nodes, not loaded into plain values, so that each
error can say ``FILE:LINE: what is wrong``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from verweefcli.errors import VerweefError

if TYPE_CHECKING:
    import yaml


class NodeReader:
    def __init__(self, path: Path, error: type[VerweefError]) -> None:
        self.path = path
        self.error = error

    def compose(self, text: str) -> yaml.Node | None:
        import yaml

        try:
            node: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{self.path}:{mark.line + 1}" if mark is not None else str(self.path)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise self.error(f"{where}: invalid YAML: {problem}") from None
        return node

    def fail(self, node: yaml.Node, message: str) -> VerweefError:
        return self.error(f"{self.path}:{node.start_mark.line + 1}: {message}")

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """``(key, key node, value node)`` of a mapping whose keys are plain and unique."""
        import yaml

        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        items: list[tuple[str, yaml.Node, yaml.Node]] = []
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, f"keys of {what} must be plain words")
            key = str(key_node.value)
            if key in seen:
                raise self.fail(key_node, f"{key!r} appears twice in {what}")
            seen.add(key)
            items.append((key, key_node, value_node))
        return items

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        import yaml

        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        """A single value as text (``None`` for null or empty)."""
        import yaml

        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} must be a single value")
        if node.tag.endswith(":null"):
            return None
        value = str(node.value).strip()
        return value or None

    def is_null(self, node: yaml.Node) -> bool:
        import yaml

        return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")
