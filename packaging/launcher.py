"""The bundled program's entry point: the same command line as the installed ``am-desktop``."""

import sys

from am_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
