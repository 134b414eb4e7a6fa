"""Progress that travels: the portable review log, merge and replay, Anki import, the optimizer."""
