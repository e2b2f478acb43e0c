"""The baselines of the business-review benchmark: plain scripts that make the same slides as
the app's deck with the libraries alone — python-pptx (the same native charts, tables, notes)
and matplotlib (the same pages into a PDF) — with none of the app's layout rules."""

from __future__ import annotations

import io
import math
from datetime import date
from pathlib import Path

from am_desktop.domain.deck import (
    ROWS_PER_SLIDE,
    BulletSlide,
    ChartKind,
    ChartSlide,
    Deck,
    PictureSlide,
    Slide,
    TableSlide,
    TitleSlide,
)


def pages(slide: Slide) -> list[Slide]:
    """A long table over several slides, as the app splits it."""
    if not isinstance(slide, TableSlide) or len(slide.rows) <= ROWS_PER_SLIDE:
        return [slide]
    return [
        TableSlide(slide.title, slide.subtitle, slide.columns, slide.rows[i : i + ROWS_PER_SLIDE])
        for i in range(0, len(slide.rows), ROWS_PER_SLIDE)
    ]


def plain_pptx(deck: Deck) -> bytes:  # noqa: PLR0912, PLR0915 - a plain script, on purpose
    """The deck's slides with python-pptx's defaults: title, bullets, tables, native charts."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches, Pt

    kinds = {
        ChartKind.LINE: XL_CHART_TYPE.LINE_MARKERS,
        ChartKind.COLUMN: XL_CHART_TYPE.COLUMN_CLUSTERED,
        ChartKind.BAR: XL_CHART_TYPE.BAR_CLUSTERED,
        ChartKind.BRIDGE: XL_CHART_TYPE.COLUMN_STACKED,
    }
    deck_file = Presentation()
    deck_file.slide_width, deck_file.slide_height = Inches(13.333), Inches(7.5)
    layouts = deck_file.slide_layouts
    for page in [p for s in deck.slides for p in pages(s)]:
        if isinstance(page, TitleSlide):
            slide = deck_file.slides.add_slide(layouts[0])
            slide.shapes.title.text = page.title
            slide.placeholders[1].text = f"{page.subtitle}\n{page.period}"
            if page.logo:
                slide.shapes.add_picture(io.BytesIO(page.logo), Inches(11), Inches(0.3),
                                         height=Inches(1))  # fmt: skip
        elif isinstance(page, BulletSlide):
            slide = deck_file.slides.add_slide(layouts[1])
            slide.shapes.title.text = page.title
            slide.placeholders[1].text = "\n".join(page.bullets or (page.empty,))
        else:
            slide = deck_file.slides.add_slide(layouts[5])
            slide.shapes.title.text = page.title
            if isinstance(page, TableSlide) and page.rows:
                table = slide.shapes.add_table(len(page.rows) + 1, len(page.columns), Inches(0.5),
                                               Inches(2), Inches(12), Inches(5)).table  # fmt: skip
                for column, name in enumerate(page.columns):
                    table.cell(0, column).text = name
                for row, cells in enumerate(page.rows, 1):
                    for column, text in enumerate(cells):
                        cell = table.cell(row, column)
                        cell.text = text
                        cell.text_frame.paragraphs[0].font.size = Pt(12)
            elif isinstance(page, ChartSlide) and page.chart.has_data:
                chart = page.chart
                data = CategoryChartData(number_format="#,##0")  # type: ignore[no-untyped-call]
                data.categories = list(chart.categories)
                money = chart.value_format.value == "money"
                if chart.kind is ChartKind.BRIDGE:
                    level, base, moves = 0.0, [], []
                    for value in chart.series[0].values:
                        amount = (value or 0.0) / 100
                        base.append(min(level, level + amount))
                        moves.append(abs(amount))
                        level += amount
                    data.add_series("Base", base)  # type: ignore[no-untyped-call]
                    data.add_series("Movement", moves)  # type: ignore[no-untyped-call]
                else:
                    for series in chart.series:
                        values = [None if v is None else v / 100 if money else v
                                  for v in series.values]  # fmt: skip
                        data.add_series(series.name, values)  # type: ignore[no-untyped-call]
                slide.shapes.add_chart(kinds[chart.kind], Inches(0.5), Inches(2), Inches(9),
                                       Inches(5), data)  # fmt: skip
                if page.facts:
                    box = slide.shapes.add_textbox(Inches(10), Inches(2), Inches(3), Inches(5))
                    box.text_frame.text = "\n".join(f"{a}: {b}" for a, b in page.facts)
            elif isinstance(page, PictureSlide):
                slide.shapes.add_picture(io.BytesIO(page.picture), Inches(1), Inches(2),
                                         height=Inches(5))  # fmt: skip
        notes = getattr(page, "notes", "")
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    out = io.BytesIO()
    deck_file.save(out)
    return out.getvalue()


def plain_pdf(deck: Deck, target: Path) -> None:
    """The deck's pages with matplotlib's defaults into a PDF."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure

    with PdfPages(target) as pdf:
        for page in [p for s in deck.slides for p in pages(s)]:
            figure = Figure(figsize=(11.0, 6.1875))
            figure.text(0.06, 0.92, page.title.replace("$", r"\$"), fontsize=20)
            if isinstance(page, TableSlide) and page.rows:
                axes = figure.add_axes((0.06, 0.05, 0.88, 0.75))
                axes.set_axis_off()
                axes.table(cellText=[[c.replace("$", r"\$") for c in r] for r in page.rows],
                           colLabels=list(page.columns), loc="upper left")  # fmt: skip
            elif isinstance(page, ChartSlide) and page.chart.has_data:
                chart = page.chart
                axes = figure.add_axes((0.08, 0.1, 0.88, 0.65))
                dated = all(isinstance(c, date) for c in chart.categories)
                xs = date2num(list(chart.categories)) if dated else range(len(chart.categories))  # type: ignore[no-untyped-call]
                for series in chart.series:
                    ys = [math.nan if v is None else v for v in series.values]
                    if chart.kind is ChartKind.LINE:
                        axes.plot(xs, ys, marker="o")
                    elif chart.kind is ChartKind.BAR:
                        axes.barh([str(c) for c in chart.categories], ys)
                    else:
                        axes.bar(list(xs), ys)
            pdf.savefig(figure)
