"""From decks to a checked bank of questions: generation, vocabulary, lint rules, loading, cache."""
