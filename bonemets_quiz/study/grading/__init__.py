"""Grading answers fairly: typed text, choices, lists, echoes of the question."""
