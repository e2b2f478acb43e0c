"""Typed options for the settings file: a stored value can never reach the app in a wrong type.

QSettings' INI format hands back text ("30", "true", or a list for a hand-written value with
commas), while values set in this session come back in their own type; each ``Option.read``
accepts both and falls back to the default when the value is missing, of the wrong type or
invalid. An Option is also a descriptor: declared on a ``Section`` it is read and written as an
attribute (``settings.prefs.currency``), so call sites never spell a key (Picard's Option
classes, qutebrowser's configdata).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any, ClassVar, Generic, TypeVar, overload

from PySide6.QtCore import QSettings

T = TypeVar("T")

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


class Option(Generic[T]):
    """One setting: its key in the file, its default, the values it accepts.

    Args:
        key: its name in the file below the section's group; never renamed, or existing users'
            settings are lost.
        default: the value when nothing valid is stored; it must pass the option's validation.
    """

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default
        self.name = key  # the attribute it is declared as (set by __set_name__)

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r})"

    def parse(self, raw: object) -> T:
        """``raw`` in this option's type.

        Raises:
            TypeError, ValueError: ``raw`` is not a value of this option.
        """
        raise NotImplementedError

    def valid(self, value: T) -> bool:
        """Whether a value of the right type is acceptable (range, choices, pattern)."""
        return True

    def read(self, raw: object) -> T:
        """A stored value; the default when it is missing, of the wrong type or invalid."""
        if raw is None:
            return self.default
        try:
            value = self.parse(raw)
        except (TypeError, ValueError):
            return self.default
        return value if self.valid(value) else self.default

    def checked(self, value: object) -> T:
        """``value`` about to be stored.

        Raises:
            ValueError: it is not a valid value (a bug in the caller: forms validate first).
        """
        try:
            parsed = self.parse(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{self!r} cannot hold {value!r}") from error
        if not self.valid(parsed):
            raise ValueError(f"{self!r} cannot hold {value!r}")
        return parsed

    def dump(self, value: T) -> object:
        """What the file stores for ``value``."""
        return value

    def load(self, qt: QSettings, path: str) -> T:
        """The value stored at ``path`` (the default when none is, or it is damaged)."""
        return self.read(qt.value(path))

    def save(self, qt: QSettings, path: str, value: T) -> None:
        """Store a checked value at ``path``."""
        qt.setValue(path, self.dump(value))

    @overload
    def __get__(self, section: None, owner: type[Any]) -> Option[T]: ...

    @overload
    def __get__(self, section: Section, owner: type[Any]) -> T: ...

    def __get__(self, section: Section | None, owner: type[Any]) -> Option[T] | T:
        return self if section is None else section.get(self)

    def __set__(self, section: Section, value: T) -> None:
        section.set(self, value)


class TextOption(Option[str]):
    """A piece of text, optionally one of ``choices`` or matching ``pattern`` in full."""

    def __init__(
        self,
        key: str,
        default: str,
        *,
        choices: Collection[str] | None = None,
        pattern: str | None = None,
    ) -> None:
        super().__init__(key, default)
        self.choices = choices
        self._pattern = re.compile(pattern) if pattern is not None else None

    def parse(self, raw: object) -> str:
        if isinstance(raw, str):
            return raw
        if isinstance(raw, list) and all(isinstance(part, str) for part in raw):
            return ",".join(raw)  # typed by hand with commas and no quotes
        raise TypeError(type(raw).__name__)

    def valid(self, value: str) -> bool:
        if self.choices is not None and value not in self.choices:
            return False
        return self._pattern is None or self._pattern.fullmatch(value) is not None


class IntOption(Option[int]):
    """A whole number from ``minimum`` to ``maximum`` (inclusive), optionally one of ``choices``."""

    def __init__(
        self,
        key: str,
        default: int,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        choices: Collection[int] | None = None,
    ) -> None:
        super().__init__(key, default)
        self.minimum, self.maximum, self.choices = minimum, maximum, choices

    def parse(self, raw: object) -> int:
        if isinstance(raw, bool):
            raise TypeError("bool")
        if isinstance(raw, int):
            return int(raw)  # an IntEnum member becomes its number
        if isinstance(raw, str):
            return int(raw.strip())
        raise TypeError(type(raw).__name__)

    def valid(self, value: int) -> bool:
        return _in_range(value, self.minimum, self.maximum) and (
            self.choices is None or value in self.choices
        )


class FloatOption(Option[float]):
    """A finite number from ``minimum`` to ``maximum`` (inclusive)."""

    def __init__(
        self,
        key: str,
        default: float,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> None:
        super().__init__(key, default)
        self.minimum, self.maximum = minimum, maximum

    def parse(self, raw: object) -> float:
        if isinstance(raw, bool):
            raise TypeError("bool")
        if isinstance(raw, int | float):
            return float(raw)
        if isinstance(raw, str):
            return float(raw.strip())
        raise TypeError(type(raw).__name__)

    def valid(self, value: float) -> bool:
        return math.isfinite(value) and _in_range(value, self.minimum, self.maximum)


class BoolOption(Option[bool]):
    """Yes or no; the file's "true"/"false" (or "1"/"0", "yes"/"no", "on"/"off") read as such."""

    def parse(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str):
            word = raw.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
            raise ValueError(raw)
        raise TypeError(type(raw).__name__)


class WeightsOption(Option[dict[str, float]]):
    """Named weights, none negative and not all zero, stored as "25,20,20,20,15" in order."""

    def parse(self, raw: object) -> dict[str, float]:
        if isinstance(raw, Mapping):
            if set(raw) != set(self.default):
                raise ValueError(sorted(raw))
            return {name: _number(raw[name]) for name in self.default}
        numbers = _numbers(raw)
        if len(numbers) != len(self.default):
            raise ValueError(raw)
        return dict(zip(self.default, numbers, strict=True))

    def valid(self, value: dict[str, float]) -> bool:
        weights = value.values()
        return all(w >= 0 for w in weights) and any(weights)  # all zero would score nothing

    def dump(self, value: dict[str, float]) -> object:
        return ",".join(f"{value[name]:g}" for name in self.default)


class BandsOption(Option[tuple[float, float]]):
    """Two score bounds on 0–100, the first above the second, stored as "70,40"."""

    def parse(self, raw: object) -> tuple[float, float]:
        numbers = [_number(n) for n in raw] if isinstance(raw, tuple) else _numbers(raw)
        if len(numbers) != 2:
            raise ValueError(raw)
        return numbers[0], numbers[1]

    def valid(self, value: tuple[float, float]) -> bool:
        upper, lower = value
        return 0 <= lower < upper <= 100  # scores are 0-100

    def dump(self, value: tuple[float, float]) -> object:
        return ",".join(f"{bound:g}" for bound in value)


class TextsOption(Option[dict[str, str]]):
    """Named texts, each stored under ``key/name`` only while it differs from its default.

    Reading gives every name; an empty text brings back the default. Setting changes the
    names given and leaves the others as they are.
    """

    def parse(self, raw: object) -> dict[str, str]:
        if not isinstance(raw, Mapping) or not set(raw) <= set(self.default):
            raise ValueError(raw)
        texts: dict[str, str] = {}
        for name, text in raw.items():
            if not isinstance(text, str):
                raise TypeError(type(text).__name__)
            texts[name] = text if text.strip() else self.default[name]
        return texts

    def load(self, qt: QSettings, path: str) -> dict[str, str]:
        stored = {name: qt.value(f"{path}/{name}") for name in self.default}
        return {
            name: text if isinstance(text, str) and text.strip() else self.default[name]
            for name, text in stored.items()
        }

    def save(self, qt: QSettings, path: str, value: dict[str, str]) -> None:
        for name, text in value.items():
            if text == self.default[name]:
                qt.remove(f"{path}/{name}")
            else:
                qt.setValue(f"{path}/{name}", text)


class StageMapOption(Option[dict[str, dict[str, str]]]):
    """Local kind -> our stage -> the CRM's stage, stored as one JSON object (stage names are
    the org's own and may hold any character)."""

    def parse(self, raw: object) -> dict[str, dict[str, str]]:
        value = json.loads(raw) if isinstance(raw, str) and raw.strip() else raw or {}
        if not isinstance(value, Mapping):
            raise TypeError(type(value).__name__)
        parsed: dict[str, dict[str, str]] = {}
        for kind, stages in value.items():
            if not isinstance(stages, Mapping):
                raise TypeError(type(stages).__name__)
            parsed[str(kind)] = {str(ours): str(theirs) for ours, theirs in stages.items()}
        return parsed

    def dump(self, value: dict[str, dict[str, str]]) -> object:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)


class Section:
    """A group of options in the settings file ("prefs", "state"): the declarative table.

    Subclasses declare their Options as class attributes and set ``group``; an instance reads
    and writes them as attributes, and reports each real change to ``on_change``.
    """

    group: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        keys = [option.key for option in cls.options()]
        if len(keys) != len(set(keys)):  # two options sharing a key would overwrite each other
            raise TypeError(f"{cls.__name__} declares a key twice: {sorted(keys)}")

    def __init__(
        self, qt: QSettings, on_change: Callable[[Option[Any]], object] | None = None
    ) -> None:
        self._qt = qt
        self._on_change = on_change

    @classmethod
    def options(cls) -> tuple[Option[Any], ...]:
        """Every option the section declares, in declaration order."""
        return tuple(value for value in vars(cls).values() if isinstance(value, Option))

    def get(self, option: Option[T]) -> T:
        """An option's value (``section.name`` says the same)."""
        return option.load(self._qt, self._path(option))

    def set(self, option: Option[T], value: T) -> None:
        """Store a value; ``on_change`` hears of it when the value read back is different.

        Raises:
            ValueError: the value is not valid for the option.
        """
        checked = option.checked(value)
        before = self.get(option)
        if checked == before:
            return
        option.save(self._qt, self._path(option), checked)
        if self._on_change is not None and self.get(option) != before:
            self._on_change(option)

    def _path(self, option: Option[Any]) -> str:
        if vars(type(self)).get(option.name) is not option:
            raise KeyError(f"{option!r} is not an option of {type(self).__name__}")
        return f"{self.group}/{option.key}"


def _in_range(value: float, minimum: float | None, maximum: float | None) -> bool:
    return (minimum is None or value >= minimum) and (maximum is None or value <= maximum)


def _number(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise TypeError(type(raw).__name__)
    number = float(raw)
    if not math.isfinite(number):
        raise ValueError(raw)
    return number


def _numbers(raw: object) -> list[float]:
    """Numbers from "25,20,…" (or the list a hand-written value without quotes reads as)."""
    if isinstance(raw, str):
        return [_number(part.strip()) for part in raw.split(",")]
    if isinstance(raw, list):
        return [_number(part) for part in raw]
    raise TypeError(type(raw).__name__)
