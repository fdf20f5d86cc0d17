"""Disclosure control for the anonymised counts: the problem, primary and secondary suppression, the audit.

Contract (for the export, the dashboard and anything else that publishes counts)
================================================================================

**The problem is data** (:mod:`.problem`), independent of files and of Textual:

- a :class:`Cell` has a stable :class:`CellId` ``(metric, span, coords, kind)`` and its true value
  (an ``int`` ≥ 0). ``coords`` are sorted ``(dimension, code)`` pairs; a dimension left out is its
  total, so ``()`` is the metric's grand total. The id has no table name on purpose: the number
  ``REFERRALS, activity=A6`` is one cell whether it is printed in the activity table or as the
  margin of activity × area, and it is either shown everywhere or hidden everywhere.
- a :class:`Relation` ``(total, parts, lower, upper)`` ties cells of a problem:
  ``Relation.additive`` (total = Σ parts: event counts; CASES_ACTIVE across activity, area, age
  band within one period) or ``Relation.distinct`` (max(parts) ≤ total ≤ Σ parts: E1-E5 count
  distinct persons, and one person may count in two activities, areas or age bands).
  :func:`add_tables` adds a metric's tables and every line between them.
- ``latent`` cells are never published (the part of a week inside a quarter, the persons new in
  a week); they exist so that relations across periods can be written, and the audit checks that
  none of them is revealed to be 1..k-1.
- across files: :func:`.history.combine` adds the cells of earlier files and the relations across
  time (a period's event count is the sum of its days; distinct counts only give inequalities,
  plus the exact differences of year-to-date figures).

**Functions** (all pure; ``k`` is the threshold, at least :data:`MIN_THRESHOLD`):

- ``protect(problem, k, published=...) -> frozenset[CellId]``: the cells to hide (primary:
  values 1..k-1; secondary: the cheapest complements that make the audit pass).
- ``audit(problem, hidden, k, published=...) -> list[Failure]``: every hidden cell whose feasible
  interval, given everything shown, is less than ``k`` wide (which includes every interval lying
  inside 1..k-1), and every latent quantity revealed to lie inside 1..k-1; each
  :class:`Failure` carries the interval. Empty means safe.
- ``require_safe(...)`` raises :class:`DisclosureError` (a :class:`MentorError` with a bilingual
  message and no values in it) when the audit fails: the export calls it and writes nothing.
- ``published`` maps earlier files' cells to the value they showed, or ``None`` where they hid it.

**Rules the callers rely on**

- Zeros are always shown. A zero says that no record has that combination, nothing about a
  person; a zero never lets a hidden cell be worked out that the audit does not see, because the
  audit treats shown zeros as the constants they are. So an attacker knows a hidden cell is at
  least 1, and the audit assumes exactly that. (Hiding a zero would not help against such an
  attacker, and would make a lead's table emptier.)
- Primary and secondary hidden cells are indistinguishable: :func:`protect` returns one set, the
  audit one list, and nothing records why a cell was hidden.
- The result does not depend on the order cells were added in (ties are broken by cell id).

Why HiGHS through ``highspy``: it is the best-kept open-source LP/MIP solver (it is what scipy's
``linprog`` and ``milp`` call), and using it directly keeps one model per component in memory so
that each of the many "min/max this cell" solves is a warm re-solve instead of a model rebuilt
from scratch. It installs as a wheel with no other dependency than numpy. The independent
attacker in the tests uses scipy's ``linprog`` instead, so the two do not share a bug.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.services.counts.disclosure.auditing import Failure, Interval, Rule, audit, intervals
from mentor_tui.services.counts.disclosure.legacy import (
    ALL,
    Key,
    Layout,
    line_needs_more,
    pinned_cells,
    suppress,
)
from mentor_tui.services.counts.disclosure.problem import (
    Bound,
    Cell,
    CellId,
    Coords,
    Kind,
    Problem,
    Relation,
    Span,
    add_tables,
)
from mentor_tui.services.counts.disclosure.suppression import Unprotectable, protect

MIN_THRESHOLD = 3
"""The lowest suppression threshold allowed (issue 4: "never below 3")."""

DEFAULT_THRESHOLD = 5
"""The threshold when the settings say nothing."""


def check_threshold(threshold: int) -> int:
    """Return ``threshold`` if it is allowed.

    Raises:
        MentorError: it is below :data:`MIN_THRESHOLD`.
    """
    if threshold < MIN_THRESHOLD:
        raise MentorError(
            Bilingual(
                f"Grænsen for små tal er {threshold}, men må ikke være under {MIN_THRESHOLD}: "
                "så små tal kan pege på enkeltpersoner",
                f"The small-count threshold is {threshold} but may not be below {MIN_THRESHOLD}: "
                "counts that small can point to individuals",
            )
        )
    return threshold


class DisclosureError(MentorError):
    """A file would let a hidden count be worked out; it was not written.

    ``failures`` lists the cells and their intervals for logs and tests. The message names no
    value: it is safe to show and to log.
    """

    def __init__(self, failures: list[Failure]) -> None:
        n = len(failures)
        super().__init__(
            Bilingual(
                f"Filen er ikke skrevet: {n} skjult(e) tal kunne regnes ud af det, der er offentliggjort "
                "(også i tidligere filer fra denne database). Prøv en længere periode eller en højere "
                "grænse for små tal, eller eksporter en intern fil.",
                f"The file was not written: {n} hidden number(s) could be worked out from what is "
                "published (including earlier files from this database). Try a longer period or a "
                "higher small-count threshold, or export an internal file.",
            )
        )
        self.failures = failures


def require_safe(
    problem: Problem,
    hidden: Iterable[CellId],
    k: int,
    *,
    published: Mapping[CellId, int | None] | None = None,
) -> None:
    """Run :func:`audit` and raise if anything fails.

    Raises:
        DisclosureError: the audit found cells an attacker can narrow down too far.
    """
    failures = audit(problem, hidden, k, published=published)
    if failures:
        raise DisclosureError(failures)


__all__ = [
    "ALL",
    "DEFAULT_THRESHOLD",
    "MIN_THRESHOLD",
    "Bound",
    "Cell",
    "CellId",
    "Coords",
    "DisclosureError",
    "Failure",
    "Interval",
    "Key",
    "Kind",
    "Layout",
    "Problem",
    "Relation",
    "Rule",
    "Span",
    "Unprotectable",
    "add_tables",
    "audit",
    "check_threshold",
    "intervals",
    "line_needs_more",
    "pinned_cells",
    "protect",
    "require_safe",
    "suppress",
]
