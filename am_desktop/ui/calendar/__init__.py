"""Calendar import on screen (issue 19): the import dialog and the watched folder."""
