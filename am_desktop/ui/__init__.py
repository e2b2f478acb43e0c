"""The Qt desktop interface: the only package that imports PySide6. It reaches data through
``am_desktop.services`` and plain records, never SQL or ORM objects."""
