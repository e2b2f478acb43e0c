"""Charts as matplotlib Figures (never pyplot), Qt-free: the screen and the exports draw the
same figures from the same data."""
