"""Exporters: Anki packages (``anki``), and other formats beside it. Import the one you need."""
