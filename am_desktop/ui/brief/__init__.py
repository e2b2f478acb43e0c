"""The pre-call brief window (issue 19)."""
