"""Rating documents' shared core: a unit's results computed once, then worded by the documents.

- :mod:`.results` — :func:`evaluate` reads the ``ket_qua`` of a rating document, decides who is rated, runs
  the rule set's rules on every member or collective (each breach placed with the name, the numbers and
  the JSON path) and returns :class:`~.results.Results`: counts per level, who is not rated and why, the
  excellence cap of each group; the dates the documents cite checked in order; :func:`begin`, what a
  rating document starts from;
- :mod:`.wording` — what the documents say of the results: the totals, the level lines, the not-rated sentence, the cap
  sentences, the annex list and its table;
- :mod:`.batch` — rating documents in bulk: one per unit, and the excellence cap of a peer group spread
  over the documents of a batch.

The documents only word the results. This package's names are its public API.
"""

from .batch import peer_problems, peer_summary, unit_documents
from .results import (
    RATED,
    STAGE_NAMES,
    SUBJECTS,
    Entry,
    Results,
    Subject,
    begin,
    check_dates,
    evaluate,
    group_caps,
    rating_date,
)
from .wording import (
    annex,
    annex_rows,
    cap_sentences,
    esc,
    level_lines,
    not_rated_sentence,
    not_rated_text,
    scope,
    total_lines,
)

__all__ = [
    "RATED",
    "STAGE_NAMES",
    "SUBJECTS",
    "Entry",
    "Results",
    "Subject",
    "annex",
    "annex_rows",
    "begin",
    "cap_sentences",
    "check_dates",
    "esc",
    "evaluate",
    "group_caps",
    "level_lines",
    "not_rated_sentence",
    "not_rated_text",
    "peer_problems",
    "peer_summary",
    "rating_date",
    "scope",
    "total_lines",
    "unit_documents",
]
