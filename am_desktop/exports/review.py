"""Export a business review (issue 15): read the figures (``services.review``), compose the deck
for its audience (``domain.review_deck``), draw it in each format asked for (``charts.review``
for PDF/PNG/SVG, ``charts.pptx_deck`` for PowerPoint) and write every file atomically.

Everything the user gave (template, logo, formats, folder) is checked before the first file is
written. The files are drawn into a hidden folder inside the target and moved in (renamed) only
when all are done, so a failure or a Cancel leaves the folder as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from am_desktop.domain.cancel import Progress, no_progress
from am_desktop.domain.deck import Audience, Deck
from am_desktop.domain.health import DEFAULT_BANDS
from am_desktop.errors import ExportError, ValidationError
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
    contact_map: bytes | None = None  # the account's contact map (PNG), for the internal deck
    gross_margin: float = 0.80
    bands: tuple[float, float] = DEFAULT_BANDS
    currency: str = "USD"


def export_review(
    store: Store, request: ReviewRequest, *, progress: Progress = no_progress
) -> list[Path]:
    """Write the review's files into ``request.folder`` (made when missing); the paths written,
    in order. Raises ``ValidationError``/``ExportError`` with a sentence for the user."""
    deck = review_deck(store, request)
    return write_review_files(deck, request, progress=progress)


def review_deck(store: Store, request: ReviewRequest) -> Deck:
    """The deck of a request, after checking what the user gave (formats, logo, template)."""
    from am_desktop.domain.review_deck import build_deck
    from am_desktop.services.review import review_data

    formats = check_formats(request.formats)
    if request.end < request.start:
        raise ValidationError("The period ends before it starts.", "to")
    if "pptx" in formats and request.template is not None:
        from am_desktop.charts.pptx_deck import check_template

        check_template(request.template)
    logo = read_logo(request.logo) if request.logo is not None else None
    data = review_data(
        store, request.start, request.end, account_id=request.account_id,
        gross_margin=request.gross_margin, bands=request.bands, currency=request.currency,
    )  # fmt: skip
    return build_deck(data, request.audience, logo=logo, contact_map=request.contact_map)


def write_review_files(
    deck: Deck, request: ReviewRequest, *, progress: Progress = no_progress
) -> list[Path]:
    """Draw ``deck`` in each format into a hidden folder inside the target, then move every
    file into place: a failure or a Cancel leaves the folder as it was."""
    from am_desktop.services.files import writing

    formats = check_formats(request.formats)
    folder = make_folder(request.folder)
    names: list[str] = []
    with _staging(folder) as stage:
        if "pptx" in formats:
            from am_desktop.charts.pptx_deck import write_pptx

            name = deck.file_name("pptx")
            with writing(stage / name) as out:
                write_pptx(deck, out, template=request.template, progress=progress)
            names.append(name)
        others = [kind for kind in formats if kind != "pptx"]
        if others:
            from am_desktop.charts.review import write_deck  # matplotlib: only when drawn

            names += write_deck(
                deck, lambda name: writing(stage / name), formats=others, progress=progress
            )
        for name in names:
            try:
                (stage / name).replace(folder / name)
            except OSError as error:
                raise ExportError(
                    f"{folder / name} could not be written: {error.strerror}."
                ) from error
    return [folder / name for name in names]


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The formats asked for, in ``FORMATS`` order; an unknown or missing one is refused."""
    wanted = {kind.strip().lower() for kind in formats if kind.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown:
        raise ValidationError(
            f"A review can be written as pptx, pdf, png or svg (not {', '.join(unknown)})."
        )
    if not wanted:
        raise ValidationError("Choose at least one kind of file: pptx, pdf, png or svg.")
    return tuple(kind for kind in FORMATS if kind in wanted)


#: The first bytes of the pictures a logo may be.
_PICTURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
#: A logo larger than this is surely not a logo (and would bloat every deck).
MAX_LOGO_BYTES = 10 * 1024 * 1024


def read_logo(path: Path) -> bytes:
    """The logo's bytes, after checking it is a PNG or JPEG picture of a sensible size."""
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise ValidationError(
                f"The logo {path.name} is {size // (1024 * 1024)} MB; choose a picture under "
                "10 MB.", "logo",
            )  # fmt: skip
        content = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"There is no logo file {path}.", "logo") from None
    except IsADirectoryError:
        raise ValidationError(
            f"{path} is a folder; choose a PNG or JPEG picture.", "logo"
        ) from None
    except OSError as error:
        raise ValidationError(
            f"The logo {path} could not be read: {error.strerror}.", "logo"
        ) from None
    if not any(content.startswith(magic) for magic in _PICTURES) or not _readable(content):
        raise ValidationError(
            f"The logo {path.name} is not a PNG or JPEG picture; save it as one and choose it "
            "again.", "logo",
        )  # fmt: skip
    return content


def _readable(picture: bytes) -> bool:
    """Whether the picture decodes (a cut-short or damaged file only looks like one)."""
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(picture)) as image:
            image.load()
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return False
    return True


def make_folder(folder: Path) -> Path:
    """The output folder, made (with its parents) when missing."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file, not a folder to write the review into.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"The folder {folder} could not be made: {error.strerror}.") from error
    return folder


@contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    """A hidden folder inside ``folder`` (same file system: moves are renames), removed after."""
    try:
        stage = Path(tempfile.mkdtemp(prefix=".am-desktop-review-", dir=folder))
    except OSError as error:
        raise ExportError(f"{folder} cannot be written to: {error.strerror}.") from error
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)
