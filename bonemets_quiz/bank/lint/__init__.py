"""Item-writing rules: every check an educator's deck gets (``validate``); errors refuse a deck."""
