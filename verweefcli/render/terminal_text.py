"""Text from the database made safe for a terminal.

Names and notes can hold control characters, typed or imported from CSV: an
escape sequence that clears the screen, recolours text or plants a hyperlink
(``ESC]8;;...``), a C1 CSI (U+009B), a carriage return that overwrites the
line, backspaces, or a bidi override (U+202E) that reverses what follows.
:func:`terminal_safe` shows each of them visibly, the way Python writes them
in a string literal: ESC as the four characters ``\\x1b``, a carriage return
as ``\\r``, U+202E as ``\\u202e``. Backslashes already in the text are left
as they are, so ``\\x1b`` typed as four characters looks the same as ESC.

What counts as a control character: C0 (U+0000-U+001F) except tab and newline,
DEL (U+007F), C1 (U+0080-U+009F), the bidi controls U+061C, U+200E, U+200F,
U+202A-U+202E and U+2066-U+2069, the line and paragraph separators U+2028 and
U+2029, and lone surrogates. A tab is left for rich to expand; a newline is
shown as ``\\n`` in one-line places (table cells, messages) and kept as a line
break only where a text may span lines (a record's notes in ``show``).

:class:`SafeConsole` is the last line of defence: a rich console that passes
every piece of text it prints through :func:`terminal_safe`, so that output
made elsewhere (an error message quoting a value) cannot reach the terminal
raw either. Renderers still escape their texts themselves, before rich
measures them, so that tables keep their widths.

JSON and CSV output are for scripts and keep the data exactly as it is.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.segment import Segment

if TYPE_CHECKING:
    from rich.console import ConsoleOptions, RenderableType

# Everything but "\t" and "\n", which depend on the place.
_CONTROLS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (tab and newline apart), DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates (cannot even be encoded)
)
_MULTILINE = re.compile(f"[{_CONTROLS}]")
_ONE_LINE = re.compile(f"[{_CONTROLS}\n]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match[0]
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, *, one_line: bool = True) -> str:
    """``"X\\x1b[2J"`` -> ``X\\x1b[2J`` with the ESC written out: nothing in it acts on a terminal.

    ``one_line`` (table cells, messages) also writes a newline as ``\\n``;
    without it (a text that may span lines) a newline stays, and a
    carriage return right before one is dropped (Windows line ends).
    """
    if one_line:
        return _ONE_LINE.sub(_visible, text)
    return _MULTILINE.sub(_visible, text.replace("\r\n", "\n"))


class SafeConsole(Console):
    """A rich console whose text never carries a control character of its own.

    Segments that rich marks as control codes (cursor moves of a progress bar)
    pass unchanged; styles become escape sequences only after this.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rendering = threading.local()  # per thread: whether a render of this console is under way

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        # rich renders nested renderables through this same method: only the outermost call
        # checks (every segment passes through it), per thread (a progress bar refreshes on its own);
        # checking at every level cost `site show` 4,500 generator steps
        state = self._rendering
        if getattr(state, "active", False):
            yield from super().render(renderable, options)
            return
        state.active = True
        try:
            for segment in super().render(renderable, options):
                if segment.control is None and _MULTILINE.search(segment.text):
                    yield Segment(terminal_safe(segment.text, one_line=False), segment.style)
                else:
                    yield segment
        finally:
            state.active = False
