"""A business-review deck as plain data (issue 15): the slides, their tables and their charts'
figures, before any file format. ``domain.review_deck`` composes it for an audience; the
renderers (``charts.review`` for PDF/PNG/SVG with matplotlib, ``charts.pptx_deck`` for
PowerPoint with native charts) only draw it — so every format shows the same figures, and a
test can read what a deck says without opening a file.

Chart values are plain numbers in the unit their ``ValueFormat`` names (money in cents);
``None`` is "no data" (a gap in a line, never a zero).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

#: The most table rows one slide holds; a longer table continues on the next slide, in every
#: format alike.
ROWS_PER_SLIDE = 14


class Audience(Enum):
    """Who the deck is for: the customer in the meeting, or the AM's manager."""

    CUSTOMER = "customer"
    INTERNAL = "internal"


class ChartKind(Enum):
    """How a chart draws its series (each has a native PowerPoint chart type)."""

    LINE = "line"  # a value over time; categories are dates
    COLUMN = "column"  # vertical bars, one group per category
    BAR = "bar"  # horizontal bars (long labels)
    BRIDGE = "bridge"  # a waterfall: first and last steps are totals, the rest movements


class ValueFormat(Enum):
    """The unit of a chart's values, which decides its axis labels."""

    MONEY = "money"  # cents
    COUNT = "count"
    SCORE = "score"  # 0 to 100 (NPS -100 to 100)
    PERCENT = "percent"  # 0 to 100


class StepKind(Enum):
    """A bridge step: a total bar standing on zero, or a movement up or down from the last."""

    TOTAL = "total"
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class Series:
    """One named line or set of bars; ``values`` align with the chart's categories."""

    name: str
    values: tuple[float | None, ...]
    colour: str
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Band:
    """A shaded stretch of the value axis (health's healthy and at-risk zones)."""

    low: float
    high: float
    colour: str
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart's data and how to read it.

    ``steps`` is only for BRIDGE (one kind per category; the single series holds the signed
    amounts, totals as the level). ``value_range`` fixes the value axis (scores 0–100); else
    money and counts start at zero. ``empty`` says why a chart without data is empty.
    """

    kind: ChartKind
    categories: tuple[str | date, ...]
    series: tuple[Series, ...]
    value_format: ValueFormat
    currency: str = "USD"
    value_range: tuple[float, float] | None = None
    bands: tuple[Band, ...] = ()
    steps: tuple[StepKind, ...] = ()
    empty: str = "No data in this period."

    @property
    def has_data(self) -> bool:
        return any(v is not None for s in self.series for v in s.values) and bool(self.categories)


@dataclass(frozen=True, slots=True)
class TitleSlide:
    """The cover: whose review, of which period, with the customer's logo when given."""

    title: str
    subtitle: str
    period: str
    logo: bytes | None = None  # PNG or JPEG bytes
    notes: str = ""


@dataclass(frozen=True, slots=True)
class BulletSlide:
    """A titled list (agenda, next period's plan)."""

    title: str
    bullets: tuple[str, ...]
    empty: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class TableSlide:
    """A titled table; ``rows`` are already formatted text, one cell a column."""

    title: str
    subtitle: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "Nothing to show."
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ChartSlide:
    """A chart with a short headline of its figures (``facts``: label → formatted value)."""

    name: str  # file-name stem of its PNG/SVG: "arr", "usage", …
    title: str
    subtitle: str
    chart: Chart
    facts: tuple[tuple[str, str], ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class PictureSlide:
    """What cannot be a native chart (the contact map), as a PNG."""

    name: str
    title: str
    picture: bytes
    notes: str = ""


Slide = TitleSlide | BulletSlide | TableSlide | ChartSlide | PictureSlide


@dataclass(frozen=True, slots=True)
class Deck:
    """A whole review: its audience, its slides in order, and the stem of its files."""

    audience: Audience
    subject: str  # the account's name, or "Portfolio"
    start: date
    end: date
    slides: tuple[Slide, ...] = field(default_factory=tuple)

    @property
    def stem(self) -> str:
        """A file name from the subject: letters, digits, spaces, dashes and underscores."""
        safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in self.subject).strip()
        return safe or "review"

    def file_name(self, kind: str) -> str:
        """``Acme - business review.pptx`` (customer) or ``Acme - internal review.pdf``."""
        what = "business review" if self.audience is Audience.CUSTOMER else "internal review"
        return f"{self.stem} - {what}.{kind}"

    @property
    def charts(self) -> tuple[ChartSlide, ...]:
        return tuple(s for s in self.slides if isinstance(s, ChartSlide))

    def texts(self) -> list[str]:
        """Every piece of text the deck shows (titles, cells, bullets, series and category
        names, notes) — what a check for words that must not reach the customer reads."""
        found: list[str] = []
        for slide in self.slides:
            if isinstance(slide, TitleSlide):
                found += [slide.title, slide.subtitle, slide.period, slide.notes]
            elif isinstance(slide, BulletSlide):
                found += [slide.title, *slide.bullets, slide.empty, slide.notes]
            elif isinstance(slide, TableSlide):
                found += [slide.title, slide.subtitle, *slide.columns, slide.empty, slide.notes]
                found += [cell for row in slide.rows for cell in row]
            elif isinstance(slide, ChartSlide):
                found += [slide.title, slide.subtitle, slide.notes, slide.chart.empty]
                found += [text for pair in slide.facts for text in pair]
                found += [s.name for s in slide.chart.series]
                found += [b.label for b in slide.chart.bands]
                found += [str(c) for c in slide.chart.categories]
            else:
                found += [slide.title, slide.notes]
        return [text for text in found if text]
