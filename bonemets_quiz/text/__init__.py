"""Words and strings: normalising answers, word forms, the word list, typos, similarity."""
