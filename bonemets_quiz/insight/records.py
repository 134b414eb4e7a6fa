"""The class's reviews as ``LogRecord``s, for fitting cohort parameters (``report
--fit-parameters``): the same selection as the report — duplicate logs once, renamed ids under
their successors, other decks' and retired questions' reviews left out, each review once."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from ..deck.question import Question
from ..progress.review_log import LogRecord, read_log
from .logs import learner_name, log_files, log_identity
from .resolve import successors


def class_records(
    logs: Iterable[str | os.PathLike[str]],
    bank: Sequence[Question],
    *,
    now: datetime,
    names: Mapping[str, str] | None = None,
) -> dict[str, list[LogRecord]]:
    """Each learner's records (``cohort.fit_into_deck`` holds learners apart: a review is of
    one learner's card)."""
    current = {q.id for q in bank}
    renamed = successors(bank)
    owners: dict[int, str] = {}
    seen: set[tuple[str, str, datetime, int]] = set()
    out: dict[str, list[LogRecord]] = {}
    for path in log_files(logs):
        name = learner_name(path, names)
        records = read_log(path, now, states=False)[1]
        if owners.setdefault(log_identity(path.read_bytes()), name) != name:
            continue  # the same log under another name: counted once
        mine = out.setdefault(name, [])
        for r in records:
            qid = r.question_id if r.question_id in current else renamed.get(r.question_id)
            key = (name, qid or "", r.reviewed_at, int(r.rating))
            if qid is None or key in seen:
                continue
            seen.add(key)
            mine.append(r if qid == r.question_id else r._replace(question_id=qid))
    return {name: records for name, records in out.items() if records}
