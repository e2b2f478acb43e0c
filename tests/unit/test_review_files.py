"""The review files themselves, opened as the AM's colleagues and customers will open them
(issue 15): the customer .pptx of every seeded account holds no internal term or value in any
slide's text, table, chart data or notes, and shows the account's objectives; the internal
deck's chart data is the ledger's; a template's layouts are used and a .potx is refused."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.presentation import Presentation as PresentationFile

from am_desktop.charts.pptx_deck import write_pptx
from am_desktop.domain import formatting as fmt
from am_desktop.domain.deck import Audience
from am_desktop.domain.kpis import default_period
from am_desktop.domain.review_deck import build_deck
from am_desktop.errors import AppError
from am_desktop.exports.review import ReviewRequest, export_review
from am_desktop.services.kpis import period_kpis
from am_desktop.services.review import review_data
from am_desktop.services.seed import SCALES, seed_database
from am_desktop.services.store import Store, open_store
from tests.support.pptx_reading import texts_and_numbers

TODAY = date(2026, 12, 3)
#: What the customer must never read (PRODUCT.md §1), written out here on its own rather than
#: taken from the code under test.
FORBIDDEN = re.compile(
    r"\b(health|nrr|grr|net revenue retention|gross revenue retention|churn\w*|pipeline|"
    r"likelihood|risks?|internal|arr)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(tmp_path_factory.mktemp("seeded") / "demo.sqlite3")
    seed_database(store, SCALES["small"], seed=7, today=TODAY)
    yield store
    store.close()


def _accounts(store: Store) -> list[tuple[int, str]]:
    from am_desktop.services.portfolio import account_names

    return [(ident, name) for ident, name, _domain in account_names(store)]


def _pptx(store: Store, account_id: int | None, audience: Audience) -> PresentationFile:
    start, end = default_period(TODAY)
    deck = build_deck(review_data(store, start, end, account_id=account_id), audience)
    out = io.BytesIO()
    write_pptx(deck, out)
    out.seek(0)
    return Presentation(out)


def _without(text: str, phrases: list[str]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, "")
    return text


def test_no_customer_deck_of_the_demo_holds_an_internal_term_or_value(seeded: Store) -> None:
    start, end = default_period(TODAY)
    checked_objectives = 0
    for account_id, name in _accounts(seeded)[:20]:
        texts, numbers = texts_and_numbers(_pptx(seeded, account_id, Audience.CUSTOMER))
        data = review_data(seeded, start, end, account_id=account_id)
        theirs = [name, *(o.title for o in data.objectives)]  # their own words may say "health"
        found = [t for t in texts if FORBIDDEN.search(_without(t, theirs))]
        assert not found, (name, found)
        kpis = period_kpis(seeded, start, end, account_id=account_id)
        arr_values = {kpis.bridge.starting, kpis.bridge.ending} - {0}
        joined = "\n".join(texts)
        for cents in arr_values:
            assert fmt.money(cents) not in joined, (name, cents)
            assert fmt.money(cents, compact=True) not in joined, (name, cents)
            assert cents / 100 not in numbers, (name, cents)
        for objective in data.objectives:
            if objective.status != "dropped":
                assert objective.title in joined
                checked_objectives += 1
    assert checked_objectives > 10  # the demo has account plans to show


def test_the_internal_decks_chart_data_is_the_ledger(seeded: Store) -> None:
    start, end = default_period(TODAY)
    for account_id in (None, _accounts(seeded)[3][0]):
        bridge = period_kpis(seeded, start, end, account_id=account_id).bridge
        presentation = _pptx(seeded, account_id, Audience.INTERNAL)
        (chart,) = [
            shape.chart
            for slide in presentation.slides
            for shape in slide.shapes
            if shape.has_chart and slide.shapes.title.text == "ARR bridge"
        ]
        totals = {s.name: s.values for s in chart.plots[0].series}
        shown = [
            next((v for v in column if v is not None), 0.0)
            for column in zip(*(totals[n] for n in totals if n != "Base"), strict=True)
        ]
        expected = [abs(cents) / 100 for _label, cents in bridge.steps()]
        assert shown == pytest.approx(expected)
        texts, _numbers = texts_and_numbers(presentation)
        assert fmt.money(bridge.ending) in "\n".join(texts)  # the summary table's Ending ARR


def test_a_template_deck_uses_the_templates_layouts_and_a_potx_is_refused(
    seeded: Store, tmp_path: Path
) -> None:
    template = Presentation()
    for layout in template.slide_layouts:
        if layout.name == "Title Only":
            layout.name = "Title Only"  # kept: the chart slides ask for it by name
    template.slide_layouts[0].name = "Corporate Cover"  # "Title Slide" is missing: fallback
    template.slides.add_slide(template.slide_layouts[1])  # an example slide, to be dropped
    path = tmp_path / "corporate.pptx"
    template.save(str(path))
    account_id = _accounts(seeded)[0][0]
    start, end = default_period(TODAY)
    request = ReviewRequest(account_id, start, end, tmp_path / "out", formats=("pptx",),
                            template=path)  # fmt: skip
    (written,) = export_review(seeded, request)
    deck = Presentation(str(written))
    layouts = [slide.slide_layout.name for slide in deck.slides]
    assert layouts[0] == "Corporate Cover"  # the fallback: the template's first layout
    assert "Title Only" in layouts
    assert deck.slides[0].shapes.title.text != ""  # the example slide is gone
    potx = tmp_path / "corporate.potx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(potx, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"presentationml.presentation.main+xml", b"presentationml.template.main+xml"
                )
            target.writestr(item, content)
    for refused in (potx, potx.rename(tmp_path / "disguised.pptx")):
        with pytest.raises(AppError) as caught:
            export_review(seeded, ReviewRequest(account_id, start, end, tmp_path / "x",
                                                formats=("pptx",), template=refused))  # fmt: skip
        assert "save it as" in caught.value.user_message
        assert not (tmp_path / "x").exists() or not list((tmp_path / "x").iterdir())


def test_the_file_says_what_it_is_and_not_what_made_it(seeded: Store) -> None:
    account_id, name = _accounts(seeded)[0]
    properties = _pptx(seeded, account_id, Audience.CUSTOMER).core_properties
    assert properties.title == f"{name}: Business review"
    assert "python-pptx" not in (properties.comments + properties.last_modified_by)
    assert properties.created is not None and properties.created.year >= 2026


def test_a_powerpoint_only_review_never_loads_matplotlib(seeded: Store, tmp_path: Path) -> None:
    """Start-up is a feature on the command line too: ~0.7 s of matplotlib for nothing."""
    import subprocess
    import sys

    account = _accounts(seeded)[0][1]
    script = (
        "import sys\nfrom am_desktop.cli import main\n"
        f"sys.argv = ['am-desktop', 'qbr', {account!r}, '--format', 'pptx', "
        f"'--out', {str(tmp_path)!r}, '--db', {str(seeded.path)!r}]\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'PySide6')))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=120)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert list(tmp_path.glob("*.pptx"))
