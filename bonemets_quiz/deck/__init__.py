"""The deck model and deck files: facts, questions and their ids, located YAML, pictures."""
