"""Studying: FSRS scheduling, the session, the learner's store, grading answers, statistics."""
