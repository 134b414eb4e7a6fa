"""Class insight: item analysis over many learners' review logs (``class_report``)."""
