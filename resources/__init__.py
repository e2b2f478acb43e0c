"""AM Desktop's data files: icon, desktop entry, AppStream metainfo, example files.

Installed as the package ``am_desktop_resources`` (pyproject.toml), so that
``am_desktop.resources.resource_path`` finds them the same way wherever the app runs; nothing
here is code.
"""
