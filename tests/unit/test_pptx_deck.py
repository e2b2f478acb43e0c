"""The PowerPoint writer (issue 15): a hand-built deck written and read back with python-pptx —
native charts whose workbook holds the model's figures, tables split over continuation slides,
speaker notes, the logo, a corporate template's layouts, and templates refused in a sentence."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.chart.chart import Chart as NativeChart
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_FILL
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.presentation import Presentation as PresentationFile
from pptx.util import Inches

from am_desktop.charts.pptx_deck import LAYOUT_CHOICES, check_template, write_pptx
from am_desktop.domain.deck import (
    Audience,
    Band,
    BulletSlide,
    Chart,
    ChartKind,
    ChartSlide,
    Deck,
    PictureSlide,
    Series,
    StepKind,
    TableSlide,
    TitleSlide,
    ValueFormat,
)
from am_desktop.errors import Cancelled, ExportError, ValidationError
from tests.support.pptx_reading import texts_and_numbers


def tiny_png(width: int = 40, height: int = 20) -> bytes:
    """A solid blue PNG, written by hand so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x1f\x4f\xc6" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


ARR = Chart(
    kind=ChartKind.LINE,
    categories=(date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)),
    series=(
        Series("ARR", (120_000_00, None, 135_000_00, 140_000_00), "#4f86c6"),
        Series("Plan", (125_000_00, 130_000_00, 135_000_00, 140_000_00), "#8d99a6", dashed=True),
    ),
    value_format=ValueFormat.MONEY,
)
USAGE = Chart(
    kind=ChartKind.COLUMN,
    categories=("Sep 2026", "Oct 2026", "Nov 2026"),
    series=(Series("Active users", (40, 44, 47), "#2e7d32"),),
    value_format=ValueFormat.COUNT,
)
HEALTH = Chart(
    kind=ChartKind.BAR,
    categories=("Adoption", "Support", "Sentiment"),
    series=(Series("Score", (80, 55, 70), "#4f86c6"),),
    value_format=ValueFormat.SCORE,
    value_range=(0, 100),
    bands=(Band(70, 100, "#1e8e3e", "Healthy"), Band(0, 40, "#d93025", "At risk")),
)
BRIDGE = Chart(
    kind=ChartKind.BRIDGE,
    categories=("Start", "Expansion", "Contraction", "End"),
    series=(Series("ARR", (100_000_00, 30_000_00, -10_000_00, 120_000_00), "#4f86c6"),),
    value_format=ValueFormat.MONEY,
    steps=(StepKind.TOTAL, StepKind.UP, StepKind.DOWN, StepKind.TOTAL),
)
NO_DATA = Chart(
    kind=ChartKind.LINE,
    categories=(date(2026, 9, 1),),
    series=(Series("NPS", (None,), "#4f86c6"),),
    value_format=ValueFormat.SCORE,
    empty="No survey answers in this period.",
)


def sample_deck() -> Deck:
    rows = tuple((f"Issue {n}", f"{n} Nov 2026", f"${n * 100:,}") for n in range(1, 31))
    slides = (
        TitleSlide("Acme Corp", "Business review", "1 Sep 2026 – 30 Nov 2026", tiny_png(), "Hi"),
        BulletSlide("Agenda", ("Objectives", "Value delivered", "Next steps")),
        BulletSlide("Next steps", (), empty="No open action items."),
        TableSlide("Issues resolved", "30 issues", ("Issue", "Resolved", "Value"), rows),
        ChartSlide("arr", "ARR", "Monthly", ARR, (("Ending ARR", "$140,000"),), "From the ledger."),
        ChartSlide("usage", "Usage", "Active users", USAGE, notes="From usage records."),
        ChartSlide("health", "Health", "", HEALTH),
        ChartSlide("bridge", "ARR bridge", "Start to end", BRIDGE, notes="Ledger movements."),
        PictureSlide("map", "Contact map", tiny_png(300, 200), notes="Contacts."),
        ChartSlide("nps", "NPS", "", NO_DATA),
    )
    return Deck(Audience.CUSTOMER, "Acme Corp", date(2026, 9, 1), date(2026, 11, 30), slides)


def written(deck: Deck, template: Path | None = None) -> PresentationFile:
    out = io.BytesIO()
    write_pptx(deck, out, template=template)
    out.seek(0)
    return Presentation(out)


def chart_on(slide: object) -> NativeChart:
    charts = [s.chart for s in slide.shapes if s.has_chart]  # type: ignore[attr-defined]
    assert len(charts) == 1
    return charts[0]


def all_text(presentation: PresentationFile) -> str:
    return "\n".join(texts_and_numbers(presentation)[0])


@pytest.fixture(scope="module")
def deck_file() -> PresentationFile:
    return written(sample_deck())


def test_default_deck_is_16_9_with_continuations(deck_file: PresentationFile) -> None:
    assert (deck_file.slide_width, deck_file.slide_height) == (Inches(13.333), Inches(7.5))
    titles = [s.shapes.title.text if s.shapes.title else "" for s in deck_file.slides]
    # 10 model slides; the 30-row table takes three (14 + 14 + 2 rows).
    assert len(titles) == 12
    assert titles[3:6] == ["Issues resolved", *["Issues resolved (continued)"] * 2]
    tables = [next(s for s in deck_file.slides[i].shapes if s.has_table).table for i in (3, 4, 5)]
    assert [len(t.rows) for t in tables] == [15, 15, 3]  # with their header rows
    assert tables[2].cell(2, 0).text == "Issue 30"
    assert tables[0].cell(1, 0).text_frame.paragraphs[0].runs[0].font.size.pt >= 12


def test_line_chart_is_native_with_money_in_units_and_a_gap(deck_file: PresentationFile) -> None:
    chart = chart_on(deck_file.slides[6])
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    plot = chart.plots[0]
    assert [s.name for s in plot.series] == ["ARR", "Plan"]
    assert plot.series[0].values == (120_000.0, None, 135_000.0, 140_000.0)
    assert plot.series[1].format.line.dash_style is not None
    assert chart._chartSpace.xpath("//c:dispBlanksAs/@val") == ["gap"]
    # Real dates on a date axis, labelled a month apart: "Nov 2026".
    assert chart._chartSpace.xpath("//c:dateAx/c:numFmt/@formatCode") == ["mmm yyyy"]
    assert chart._chartSpace.xpath("//c:dateAx/c:majorTimeUnit/@val") == ["months"]
    assert '"$"' in chart.value_axis.tick_labels.number_format
    assert chart.value_axis.minimum_scale == 0
    # The figures sit in the embedded workbook, where PowerPoint's Edit Data opens them.
    workbook = chart.part.chart_workbook.xlsx_part.blob
    assert workbook.startswith(b"PK")
    assert any(
        s.has_text_frame and "Ending ARR" in s.text_frame.text for s in deck_file.slides[6].shapes
    )


def test_column_bar_and_bridge_types_and_values(deck_file: PresentationFile) -> None:
    column = chart_on(deck_file.slides[7])
    assert column.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert column.plots[0].series[0].values == (40, 44, 47)
    bar = chart_on(deck_file.slides[8])
    assert bar.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert (bar.value_axis.minimum_scale, bar.value_axis.maximum_scale) == (0, 100)
    assert bar.category_axis.reverse_order
    bridge = chart_on(deck_file.slides[9])
    assert bridge.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    series = {s.name: s.values for s in bridge.plots[0].series}
    assert series["Total"] == (100_000.0, None, None, 120_000.0)
    assert series["Increase"] == (None, 30_000.0, None, None)
    assert series["Decrease"] == (None, None, 10_000.0, None)
    assert series["Base"] == (None, 100_000.0, 120_000.0, None)
    base = bridge.plots[0].series[0]
    assert base.format.fill.type == MSO_FILL.BACKGROUND  # no fill: invisible
    assert bridge._chartSpace.xpath("//c:legendEntry[c:idx/@val='0']/c:delete/@val") == ["1"]


def test_empty_chart_says_why_and_bands_are_named(deck_file: PresentationFile) -> None:
    empty = deck_file.slides[11]
    assert not any(s.has_chart for s in empty.shapes)
    assert "No survey answers in this period." in all_text_of(empty)
    health = deck_file.slides[8]
    assert "Healthy" in all_text_of(health)
    assert "Healthy" in health.notes_slide.notes_text_frame.text


def all_text_of(slide: object) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)  # type: ignore[attr-defined]


def test_notes_logo_picture_and_no_credit_line(deck_file: PresentationFile) -> None:
    slides = deck_file.slides
    assert slides[6].notes_slide.notes_text_frame.text == "From the ledger."
    assert slides[9].notes_slide.notes_text_frame.text == "Ledger movements."
    assert not slides[1].has_notes_slide
    title = slides[0]
    logos = [s for s in title.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(logos) == 1
    assert abs(logos[0].width - 2 * logos[0].height) <= 2  # a 40 by 20 logo keeps its aspect
    assert logos[0].left + logos[0].width <= deck_file.slide_width
    assert "1 Sep 2026 – 30 Nov 2026" in all_text_of(title)
    picture = next(s for s in slides[10].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert picture.height <= deck_file.slide_height
    assert abs(picture.width * 200 - picture.height * 300) < 300 * 1000
    assert "No open action items." in all_text_of(slides[2])
    assert "AM Desktop" not in all_text(deck_file)


def test_progress_counts_pages_and_cancel_stops(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write_pptx(sample_deck(), io.BytesIO(), progress=lambda d, t, _s: seen.append((d, t)))
    assert seen == [(n, 12) for n in range(1, 13)]

    def cancel(done: int, _total: int, _stage: str) -> None:
        if done == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        write_pptx(sample_deck(), io.BytesIO(), progress=cancel)


# ---------------------------------------------------------------------- templates


def corporate_template(path: Path, *, rename: dict[str, str]) -> Path:
    """python-pptx's default with layouts renamed and an example slide, saved 4:3."""
    presentation = Presentation()
    for layout in presentation.slide_layouts:
        layout.name = rename.get(layout.name, layout.name)
    example = presentation.slides.add_slide(presentation.slide_layouts[0])
    example.shapes.title.text = "EXAMPLE SLIDE"
    # PowerPoint's sections name slides by id; a section left naming a dropped slide is damage.
    slide_id = presentation.slides._sldIdLst[0].id
    presentation.part._element.append(
        parse_xml(
            f'<p:extLst {nsdecls("p")}><p:ext uri="{{521415D9-36F7-43E2-AB2F-B90AF26B5E84}}">'
            '<p14:sectionLst xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main">'
            f'<p14:section name="Examples" id="{{5E4B1A3C-0000-4000-8000-000000000001}}">'
            f'<p14:sldIdLst><p14:sldId id="{slide_id}"/></p14:sldIdLst></p14:section>'
            "</p14:sectionLst></p:ext></p:extLst>"
        )
    )
    presentation.save(str(path))
    return path


def test_template_layouts_by_name_and_its_slides_dropped(tmp_path: Path) -> None:
    template = corporate_template(tmp_path / "corp.pptx", rename={})
    result = written(sample_deck(), template)
    assert (result.slide_width, result.slide_height) == (Inches(10), Inches(7.5))
    assert "EXAMPLE SLIDE" not in all_text(result)
    with zipfile.ZipFile(template) as package:
        assert b"sectionLst" in package.read("ppt/presentation.xml")
    assert b"sectionLst" not in result.part.blob  # the section naming the dropped slide went
    assert len(result.slides) == 12
    layouts = [s.slide_layout.name for s in result.slides]
    assert layouts[0] == LAYOUT_CHOICES["title"][0] == "Title Slide"
    assert layouts[1] == "Title and Content"
    assert layouts[6] == "Title Only"


def test_missing_layout_name_falls_back(tmp_path: Path) -> None:
    template = corporate_template(
        tmp_path / "corp.pptx",
        rename={"Title Only": "Headline", "Title Slide": "Cover", "Title and Content": "Body"},
    )
    result = written(sample_deck(), template)
    layouts = [s.slide_layout.name for s in result.slides]
    assert layouts[0] == "Cover"  # the first layout
    assert layouts[6] == "Body"  # the first layout with a title placeholder
    assert layouts[1] == "Body"


def test_potx_refused_by_content_type_and_by_suffix(tmp_path: Path) -> None:
    source = corporate_template(tmp_path / "corp.pptx", rename={})
    disguised = tmp_path / "brand.pptx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(disguised, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            new.writestr(item, data)
    for path in (disguised, tmp_path / "brand.potx"):
        if not path.exists():
            path.write_bytes(source.read_bytes())
        with pytest.raises(ValidationError) as refused:
            check_template(path)
        message = refused.value.user_message
        assert message.startswith(f"{path.name} is a PowerPoint template")
        assert "save it as a presentation (.pptx)" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"just some notes\n", "x.pptx is not a PowerPoint presentation (.pptx)"),
        (b"PK\x03\x04truncated", "x.pptx is damaged"),
        (None, "The template x.pptx was not found."),
    ],
)
def test_bad_templates_refused_in_one_sentence(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "x.pptx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValidationError) as refused:
        write_pptx(sample_deck(), io.BytesIO(), template=path)
    message = refused.value.user_message
    assert message.startswith(expected)
    assert message.count(". ") == 0 and "\n" not in message  # one sentence


def test_a_zip_that_is_not_a_presentation_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.pptx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "hi")
    with pytest.raises(ValidationError, match=r"^x\.pptx is not a PowerPoint presentation"):
        check_template(path)


def test_unreadable_picture_is_an_export_error_in_a_sentence() -> None:
    deck = Deck(
        Audience.CUSTOMER,
        "Acme",
        date(2026, 9, 1),
        date(2026, 11, 30),
        (PictureSlide("map", "Contact map", b"not a picture"),),
    )
    with pytest.raises(ExportError, match=r"^A picture for the PowerPoint deck could not be read"):
        write_pptx(deck, io.BytesIO())
