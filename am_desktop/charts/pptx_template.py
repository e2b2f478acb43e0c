"""The presentation a PowerPoint deck is built on: the AM's corporate template (checked, its
example slides dropped) or python-pptx's default made 16:9, and the layout each kind of slide
uses, chosen by name with a fallback so any corporate master works.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.xmlchemy import BaseOxmlElement
from pptx.presentation import Presentation as PresentationFile
from pptx.slide import SlideLayout
from pptx.util import Emu, Inches

from am_desktop.errors import ValidationError

#: The layout names each kind of slide looks for, in order (case and spacing ignored). When
#: none is in the template: the title slide takes the first layout; every other slide takes
#: the first layout with a title placeholder, else "Blank", else the first layout.
LAYOUT_CHOICES: dict[str, tuple[str, ...]] = {
    "title": ("Title Slide",),
    "bullets": ("Title and Content", "Title and Text", "Title Only"),
    "table": ("Title Only", "Title and Content"),
    "chart": ("Title Only", "Title and Content"),
    "picture": ("Title Only", "Title and Content"),
}

WIDE = (Emu(Inches(13.333)), Emu(Inches(7.5)))

_TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_MACRO_TYPES = (
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
)
_SAVE_AS = "open it in PowerPoint and save it as a presentation (.pptx), then choose that file."
_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def check_template(path: Path) -> None:
    """Refuse, in one sentence naming the file, a template the deck cannot be built on."""
    open_template(path)


def open_template(path: Path) -> PresentationFile:
    """The template opened, or :class:`ValidationError` saying why it cannot be used."""
    name = path.name
    if path.suffix.lower() in (".potx", ".potm"):
        raise ValidationError(f"{name} is a PowerPoint template; {_SAVE_AS}", field="template")
    if not path.exists():
        raise ValidationError(f"The template {name} was not found.", field="template")
    if path.is_dir():
        raise ValidationError(f"{name} is a folder, not a PowerPoint presentation (.pptx).")
    not_pptx = f"{name} is not a PowerPoint presentation (.pptx); choose a .pptx file."
    damaged = f"{name} is damaged and cannot be opened; choose another .pptx file."
    try:
        with zipfile.ZipFile(path) as package:
            content_types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except zipfile.BadZipFile as exc:
        raise ValidationError(damaged if _starts_like_zip(path) else not_pptx) from exc
    except KeyError as exc:  # a zip, but not an Office document
        raise ValidationError(not_pptx, field="template") from exc
    except (OSError, zlib.error) as exc:
        raise ValidationError(f"{name} could not be read.", field="template") from exc
    if _TEMPLATE_TYPE in content_types:
        raise ValidationError(f"{name} is a PowerPoint template; {_SAVE_AS}", field="template")
    if any(kind in content_types for kind in _MACRO_TYPES):
        raise ValidationError(
            f"{name} is a macro-enabled presentation; {_SAVE_AS}", field="template"
        )
    try:
        presentation = Presentation(str(path))
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ValidationError(damaged, field="template") from exc
    except Exception as exc:  # python-pptx raises many kinds for a file it cannot read
        raise ValidationError(not_pptx, field="template") from exc
    if not list(presentation.slide_layouts):
        raise ValidationError(f"{name} has no slide layouts to build a deck on.")
    return presentation


def base_presentation(template: Path | None) -> PresentationFile:
    """The template without its own slides, or python-pptx's default widened to 16:9."""
    if template is not None:
        presentation = open_template(template)
        _drop_slides(presentation)
        return presentation
    presentation = Presentation()
    _widen(presentation, *WIDE)
    return presentation


def choose_layouts(presentation: PresentationFile) -> dict[str, SlideLayout]:
    """The layout each kind of slide uses (see :data:`LAYOUT_CHOICES`)."""
    layouts = [layout for master in presentation.slide_masters for layout in master.slide_layouts]
    by_name: dict[str, SlideLayout] = {}
    for layout in layouts:
        by_name.setdefault(_key(layout.name), layout)
    chosen: dict[str, SlideLayout] = {}
    for kind, names in LAYOUT_CHOICES.items():
        found = next((by_name[_key(n)] for n in names if _key(n) in by_name), None)
        if found is None and kind != "title":
            found = next((lay for lay in layouts if _has_title(lay)), by_name.get("blank"))
        chosen[kind] = found or layouts[0]
    return chosen


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _has_title(layout: SlideLayout) -> bool:
    return any(
        shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.TITLE
        for shape in layout.shapes
    )


def _starts_like_zip(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"PK\x03\x04"


def _drop_slides(presentation: PresentationFile) -> None:
    """Remove the template's example slides; their parts are then not saved. Sections and
    custom shows name slides by id, so they go too (PowerPoint repairs a file otherwise)."""
    slide_ids = presentation.slides._sldIdLst  # python-pptx has no public delete
    for entry in list(slide_ids):
        slide_ids.remove(entry)
        presentation.part.drop_rel(entry.rId)
    root = presentation.part._element
    for stale in list(root.iter(f"{{{_P14}}}sectionLst")):
        extension = stale.getparent()
        extension.getparent().remove(extension)
    for shows in root.xpath("./p:custShowLst"):
        root.remove(shows)


def _widen(presentation: PresentationFile, width: Emu, height: Emu) -> None:
    """Resize python-pptx's 4:3 default to ``width`` × ``height``, stretching its master's and
    layouts' placeholders across so slides built on them fill the wider page."""
    old_width, old_height = presentation.slide_width or width, presentation.slide_height or height
    presentation.slide_width, presentation.slide_height = width, height
    x_scale, y_scale = width / old_width, height / old_height
    parts = [presentation.slide_master, *presentation.slide_layouts]
    for part in parts:
        for transform in part.element.iter(f"{{{_A}}}xfrm"):
            _scale(transform, x_scale, y_scale)


def _scale(transform: BaseOxmlElement, x_scale: float, y_scale: float) -> None:
    for child, x_name, y_name in ((f"{{{_A}}}off", "x", "y"), (f"{{{_A}}}ext", "cx", "cy")):
        for node in transform.iter(child):
            node.set(x_name, str(round(int(node.get(x_name, "0")) * x_scale)))
            node.set(y_name, str(round(int(node.get(y_name, "0")) * y_scale)))
