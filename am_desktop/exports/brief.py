"""A pre-call brief as a file (issue 19): Markdown, self-contained HTML (printable, readable
without its style sheet: headings, lists and tables carry the structure) or PDF (matplotlib's
PDF backend, ``charts.brief_pdf``, so the command line needs no display).

All three render the one :class:`~am_desktop.domain.brief_document.BriefDocument`.
"""

from __future__ import annotations

import html
from pathlib import Path

from am_desktop.domain.brief import Brief
from am_desktop.domain.brief_document import (
    Block,
    BriefDocument,
    Bullets,
    Facts,
    brief_document,
)
from am_desktop.errors import ExportError

#: The file kinds a brief is written as, by suffix.
FORMATS = (".md", ".html", ".pdf")


def check_brief_path(path: Path) -> str:
    """The format of ``path`` (``.md``, ``.html`` or ``.pdf``; ``.htm`` and ``.markdown`` too).

    Raises:
        ExportError: any other suffix, said in words.
    """
    suffix = {".htm": ".html", ".markdown": ".md"}.get(path.suffix.lower(), path.suffix.lower())
    if suffix not in FORMATS:
        raise ExportError(f"A brief is written as FILE.md, FILE.html or FILE.pdf, not {path.name}.")
    return suffix


def write_brief(brief: Brief, path: Path) -> Path:
    """Write ``brief`` to ``path`` in the format its suffix names (replacing the file whole:
    a failed write leaves no half file)."""
    suffix = check_brief_path(path)
    document = brief_document(brief)
    if suffix == ".pdf":
        from am_desktop.charts.brief_pdf import pdf_bytes

        data = pdf_bytes(document)
    else:
        text = markdown(document) if suffix == ".md" else to_html(document)
        data = text.encode("utf-8")
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ExportError(f"Could not write {path}: {error.strerror or error}.") from error
    return path


# ------------------------------------------------------------------------------ Markdown


def markdown(document: BriefDocument) -> str:
    """The brief as Markdown (GitHub tables)."""
    lines = [f"# {_md(document.title)}", "", f"_{_md(document.subtitle)}_", ""]
    for section in document.sections:
        lines += [f"## {_md(section.heading)}", ""]
        for block in section.blocks:
            lines += [*_md_block(block), ""]
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    """Text safe inside Markdown: no line breaks, no table pipes."""
    return " ".join(text.split()).replace("|", "\\|")


def _md_block(block: Block) -> list[str]:
    if isinstance(block, Facts):
        return [f"- **{_md(label)}:** {_md(value)}" for label, value in block.pairs]
    if isinstance(block, Bullets):
        if not block.items:
            return [f"_{_md(block.empty)}_"]
        if block.numbered:
            return [f"{n}. {_md(item)}" for n, item in enumerate(block.items, 1)]
        return [f"- {_md(item)}" for item in block.items]
    if not block.rows:
        return [f"_{_md(block.empty)}_"]
    head = "| " + " | ".join(_md(c) for c in block.columns) + " |"
    rule = "|" + "|".join(" --- " for _ in block.columns) + "|"
    return [head, rule] + ["| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows]


# ------------------------------------------------------------------------------ HTML

#: The only style: inline, so the file stands alone; print-friendly (no background colours).
_STYLE = """
body { font-family: sans-serif; font-size: 11pt; color: #222; max-width: 48em; margin: 1.5em; }
h1 { font-size: 17pt; margin-bottom: 0.1em; } h2 { font-size: 13pt; margin: 1.1em 0 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px; border-bottom: 1px solid #ccc; }
th { font-weight: bold; } .muted { color: #555; }
table.facts { width: auto; } table.facts th { width: 10em; font-weight: bold; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; }
tr { page-break-inside: avoid; } }
"""


def to_html(document: BriefDocument) -> str:
    """The brief as one HTML file with no external reference (no link, image or script)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(document.title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{e(document.title)}</h1>",
        f'<p class="muted">{e(document.subtitle)}</p>',
    ]
    for section in document.sections:
        parts.append(f"<h2>{e(section.heading)}</h2>")
        parts += [_html_block(block) for block in section.blocks]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_block(block: Block) -> str:
    e = html.escape
    if isinstance(block, Facts):
        rows = "".join(
            f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in block.pairs
        )
        return f'<table class="facts">{rows}</table>'
    if isinstance(block, Bullets):
        if not block.items:
            return f'<p class="muted"><em>{e(block.empty)}</em></p>'
        tag = "ol" if block.numbered else "ul"
        return f"<{tag}>" + "".join(f"<li>{e(i)}</li>" for i in block.items) + f"</{tag}>"
    if not block.rows:
        return f'<p class="muted"><em>{e(block.empty)}</em></p>'
    head = "".join(f"<th>{e(c)}</th>" for c in block.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(brief: Brief, suffix: str) -> str:
    """The brief as Markdown (``.md``) or HTML (``.html``) text, for the screen and tests."""
    document = brief_document(brief)
    return markdown(document) if suffix == ".md" else to_html(document)
