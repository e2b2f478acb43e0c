"""Dialogs: one module each."""
