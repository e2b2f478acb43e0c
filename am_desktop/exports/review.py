"""Export a business review (issue 15): read the figures (``services.review``), compose the deck
for its audience (``domain.review_deck``), draw it in each format asked for (``charts.review``
for PDF/PNG/SVG, ``charts.pptx_deck`` for PowerPoint) and write every file atomically.

Everything the user gave (template, logo, formats, folder) is checked before the first file is
written; if anything fails or is cancelled, the files this export already wrote are removed, so
the folder never holds half a review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from am_desktop.domain.cancel import Progress, no_progress
from am_desktop.domain.deck import Audience
from am_desktop.domain.health import DEFAULT_BANDS
from am_desktop.services.store import Store

#: The kinds of file a review can be written as, in the order they are offered.
FORMATS = ("pptx", "pdf", "png", "svg")
FORMAT_LABELS = {
    "pptx": "PowerPoint (.pptx)",
    "pdf": "PDF deck",
    "png": "PNG pictures",
    "svg": "SVG pictures",
}


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    """What to export: whose review, of which period, for whom, as what, where."""

    account_id: int | None  # None: the portfolio
    start: date
    end: date
    folder: Path
    audience: Audience = Audience.CUSTOMER
    formats: tuple[str, ...] = ("pptx", "pdf")
    template: Path | None = None  # a .pptx whose layouts the PowerPoint deck uses
    logo: Path | None = None  # the customer's logo on the title slide (PNG or JPEG)
    gross_margin: float = 0.80
    bands: tuple[float, float] = DEFAULT_BANDS
    currency: str = "USD"


def export_review(
    store: Store, request: ReviewRequest, today: date, *, progress: Progress = no_progress
) -> list[Path]:
    """Write the review's files into ``request.folder`` (made when missing); the paths written,
    in order. Raises ``ValidationError``/``ExportError`` with a sentence for the user."""
    raise NotImplementedError
