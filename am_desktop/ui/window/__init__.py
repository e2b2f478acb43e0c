"""The parts the main window holds: the view registry, the sidebar, the account list, the
workspace tabs, renewal alerts, the daily jobs, the menus and the status bar.

``ui/main_window.py`` only puts them together; each part here does one job and can be built
and tested on its own.
"""
