"""Reading a .pptx back as its readers will: every text and every chart number in it."""

from __future__ import annotations

from pptx.presentation import Presentation as PresentationFile


def texts_and_numbers(presentation: PresentationFile) -> tuple[list[str], list[float]]:
    """Every text (shapes, tables, chart categories and series names, speaker notes) and
    every number of every chart's data."""
    texts: list[str] = []
    numbers: list[float] = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                for plot in shape.chart.plots:
                    texts += [str(category) for category in plot.categories]
                    for series in plot.series:
                        texts.append(series.name)
                        numbers += [v for v in series.values if v is not None]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return texts, numbers
