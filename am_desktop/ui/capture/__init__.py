"""E-mail and contact capture in the window (issue 19): drop or File → Import."""
