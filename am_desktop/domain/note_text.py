"""Structure read from a note's Markdown: action items and tagged lines (issue 5).

``- [ ] Send the pricing deck @maya due:2026-12-01`` is an action item owned by maya, due on
1 December; ``- [x] …`` one that is done. A line holding ``#risk``, ``#expansion`` or
``#feedback`` becomes a risk in the account plan, an opportunity stub or a product-feedback
item. Lines inside fenced code blocks are left alone. Pure functions: the notes service
reconciles what they find with what is stored.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

_CHECKBOX = re.compile(r"^(?P<lead>\s*[-*+]\s+\[)(?P<mark>[ xX])(?P<close>\]\s+)(?P<rest>.*)$")
_OWNER = re.compile(r"(?<!\S)@(?P<owner>[\w][\w.-]*)")
_DUE = re.compile(r"(?<!\S)due:(?P<due>\S+)", re.IGNORECASE)
_TAG = re.compile(r"(?<![\w#&/])#(?P<tag>risk|expansion|feedback)\b", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SPACES = re.compile(r"\s+")


class Tag(enum.Enum):
    """What a tagged line becomes."""

    RISK = "risk"
    EXPANSION = "expansion"
    FEEDBACK = "feedback"


@dataclass(frozen=True, slots=True)
class ActionLine:
    """A ``- [ ]`` line: its text without the owner and due tokens."""

    text: str
    owner: str | None
    due: date | None
    done: bool
    line: int

    @property
    def key(self) -> str:
        """What identifies the item across edits of its owner, due date or tick."""
        return text_key(self.text)


@dataclass(frozen=True, slots=True)
class TaggedLine:
    """A line tagged ``#risk``, ``#expansion`` or ``#feedback``, without its tag."""

    tag: Tag
    text: str
    line: int

    @property
    def key(self) -> str:
        return text_key(self.text)


@dataclass(frozen=True, slots=True)
class NoteStructure:
    """Everything a note's text asks to be recorded."""

    actions: tuple[ActionLine, ...] = ()
    tagged: tuple[TaggedLine, ...] = ()


def text_key(text: str) -> str:
    """Text compared as a person would: case and spacing do not matter."""
    return _SPACES.sub(" ", text).strip().casefold()


#: A title taken from a note's text is cut (at a word) to about this many characters.
TITLE_FROM_TEXT_CHARS = 48
_LINE_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)")


def title_from_text(body: str, max_chars: int = TITLE_FROM_TEXT_CHARS) -> str:
    """What an untitled note is listed as: its first line with text, without Markdown
    marks, cut at a word with "…" when long ("" for an empty note)."""
    for _index, line in _plain_lines(body):
        text = " ".join(_LIST_MARK.sub("", _LINE_MARKS.sub("", line)).split())
        if text:
            return elide_at_word(text, max_chars)
    return ""


def elide_at_word(text: str, max_chars: int) -> str:
    """``text`` whole if it fits, else cut before the word that does not fit, with "…"."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space > max_chars // 3:  # a very long first word is cut inside it
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def _plain_lines(body: str) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, with their indexes."""
    lines: list[tuple[int, str]] = []
    fenced = False
    for index, line in enumerate(body.splitlines()):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((index, line))
    return lines


def parse(body: str) -> NoteStructure:
    """The action items and tagged lines of a note, in the order they are written."""
    actions: list[ActionLine] = []
    tagged: list[TaggedLine] = []
    for index, line in _plain_lines(body):
        box = _CHECKBOX.match(line)
        if box:
            action = _action(box["rest"], done=box["mark"] != " ", line=index)
            if action is not None:
                actions.append(action)
        for match in _TAG.finditer(line):
            text = _clean(_TAG.sub("", _LIST_MARK.sub("", line, count=1)))
            if text:
                tagged.append(TaggedLine(Tag(match["tag"].lower()), text, index))
    return NoteStructure(tuple(actions), tuple(tagged))


def _action(rest: str, *, done: bool, line: int) -> ActionLine | None:
    owner_match = _OWNER.search(rest)
    owner = owner_match["owner"] if owner_match else None
    text = _OWNER.sub("", rest, count=1) if owner_match else rest
    due: date | None = None
    due_match = _DUE.search(text)
    if due_match:
        try:
            due = date.fromisoformat(due_match["due"])
        except ValueError:
            due = None  # not a date: the words stay in the text, as written
        else:
            text = _DUE.sub("", text, count=1)
    text = _clean(_TAG.sub("", text))
    if not text:
        return None
    return ActionLine(text, owner, due, done, line)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _action_line(body: str, text: str) -> tuple[list[str], int, re.Match[str], ActionLine] | None:
    """The body's lines, and the index, checkbox match and parsed item of the action line
    whose text is ``text`` (None: no line is that item's)."""
    wanted = text_key(text)
    lines = body.splitlines(keepends=True)
    for index, line in _plain_lines(body):
        box = _CHECKBOX.match(line)
        if not box:
            continue
        action = _action(box["rest"], done=box["mark"] != " ", line=index)
        if action is not None and action.key == wanted:
            return lines, index, box, action
    return None


def _line_ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]


def set_done(body: str, text: str, done: bool) -> str:
    """Tick (or untick) the action line whose text is ``text``; the body unchanged if none is.

    Used when an action item is closed elsewhere (the Today list), so the note agrees.
    """
    found = _action_line(body, text)
    if found is None or found[3].done == done:
        return body
    lines, index, box, _action_item = found
    mark = "x" if done else " "
    lines[index] = f"{box['lead']}{mark}{box['close']}{box['rest']}{_line_ending(lines[index])}"
    return "".join(lines)


def set_due(body: str, text: str, due: date) -> str:
    """Give the action line whose text is ``text`` the due date ``due``; the body unchanged
    if no line is that item's.

    Its ``due:`` token is rewritten in place; a line without one gets one at its end (before
    a ``due:`` that is not a date, so the parser still reads the item's text as before).
    Used when an action item is rescheduled elsewhere (the Tasks view), so the note agrees.
    """
    found = _action_line(body, text)
    if found is None or found[3].due == due:
        return body
    lines, index, box, action = found
    rest, token = box["rest"].rstrip(), f"due:{due.isoformat()}"
    first = _DUE.search(rest)
    if first is None:
        rest = f"{rest} {token}"
    elif action.due is not None:  # the token the parser read: rewritten where it is
        rest = f"{rest[: first.start()]}{token}{rest[first.end() :]}"
    else:  # "due:soon" stays part of the text; the date goes before it
        rest = f"{rest[: first.start()]}{token} {rest[first.start() :]}"
    lines[index] = f"{box['lead']}{box['mark']}{box['close']}{rest}{_line_ending(lines[index])}"
    return "".join(lines)
