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
- across files: :func:`combine` (:mod:`.history`) adds the cells of earlier files and the relations across
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

- Zeros are shown unless protection needs one as a complement. A zero says that no record has
  that combination, nothing about a person; what it can do is pin a hidden cell (a line whose
  other parts are shown zeros gives its one hidden part away as the total). The audit treats every
  shown zero as the constant it is, so that never goes unseen. A zero is hidden only when it is
  the cheapest binding cell (a total of 5 split 4 + 1 with every other part zero can only be
  protected by hiding the total or a zero, and the total is a headline figure). Because zeros
  can be hidden, a hidden cell tells the attacker nothing, not even that it is at least 1; the
  audit's lower bound is 0. A cell everyone knows anyway (a structural zero such as E1, which
  counts 18-29-year-olds, in age band 0-12) must be given ``weight=math.inf``: it is never hidden.
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

from collections.abc import Collection, Iterable, Mapping

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual
from mentor_tui.services.counts.disclosure.auditing import (
    Failure,
    Inconsistent,
    Interval,
    Rule,
    audit,
    intervals,
)
from mentor_tui.services.counts.disclosure.history import Counter, combine, file_problem, link_periods
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
from mentor_tui.services.counts.disclosure.suppression import Unprotectable, protect, protect_with_witnesses

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


def protect_file(
    values: Mapping[CellId, int],
    relations: Iterable[Relation],
    k: int,
    *,
    earlier: Mapping[CellId, int | None] | None = None,
    distinct: Collection[str] = (),
    distinct_lines: Collection[str] = (),
    count: Counter | None = None,
    weights: Mapping[CellId, float] | None = None,
) -> frozenset[CellId]:
    """Return the cells of one file to hide, protected and audited with earlier files.

    The one call an exporter needs: builds the problem (:func:`file_problem`), protects it and
    runs the audit again on the result.

    Args:
        values: every cell the file carries, with its value today.
        relations: the lines between them.
        k: the threshold (at least :data:`MIN_THRESHOLD`).
        earlier: what earlier anonymised files from this database published (``None``: hidden).
        distinct: metrics that count distinct persons or cases over time (E1-E5, CASES_ACTIVE).
        distinct_lines: metrics whose lines are distinct within one span (E1-E5).
        count: counts a metric over a span today, for earlier hidden cells and latent cells.
        weights: :attr:`Cell.weight` of some cells: e.g. 10 for the summary's figures (hidden
            only when no other cell protects), ``math.inf`` for a structural zero (never hidden).

    Raises:
        MentorError: ``k`` is below :data:`MIN_THRESHOLD`.
        DisclosureError: earlier files alone already let a cell be worked out (nothing this
            file hides can help); write nothing.
    """
    check_threshold(k)
    relations = list(relations)
    earlier = earlier or {}
    try:
        return _protect_file(values, relations, k, earlier, distinct, distinct_lines, count, weights)
    except Inconsistent:
        # an earlier file showed a number that has been corrected since, so today's counts and
        # the earlier files cannot all hold: keep only the earlier files' cells this file carries
        # again (those are checked one by one; see suppression.primary)
        same = {c: v for c, v in (earlier or {}).items() if c in values}
        return _protect_file(values, relations, k, same, distinct, distinct_lines, count, weights)


def _protect_file(
    values: Mapping[CellId, int],
    relations: list[Relation],
    k: int,
    earlier: Mapping[CellId, int | None] | None,
    distinct: Collection[str],
    distinct_lines: Collection[str],
    count: Counter | None,
    weights: Mapping[CellId, float] | None,
) -> frozenset[CellId]:
    problem, published = file_problem(
        values,
        relations,
        earlier,
        distinct=distinct,
        distinct_lines=distinct_lines,
        count=count,
        weights=weights,
    )
    try:
        hidden, witnesses = protect_with_witnesses(problem, k, published=published)
    except Unprotectable as exc:
        raise DisclosureError(exc.failures) from None
    require_safe(problem, hidden, k, published=published, witnesses=witnesses)
    return frozenset(c for c in hidden if c in values)


def require_safe(
    problem: Problem,
    hidden: Iterable[CellId],
    k: int,
    *,
    published: Mapping[CellId, int | None] | None = None,
    witnesses: Iterable[Mapping[CellId, int]] = (),
) -> None:
    """Run :func:`audit` and raise if anything fails (``witnesses``: see :func:`audit`).

    Raises:
        DisclosureError: the audit found cells an attacker can narrow down too far.
    """
    failures = audit(problem, hidden, k, published=published, witnesses=witnesses)
    if failures:
        raise DisclosureError(failures)


__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_THRESHOLD",
    "Bound",
    "Cell",
    "CellId",
    "Coords",
    "Counter",
    "DisclosureError",
    "Failure",
    "Inconsistent",
    "Interval",
    "Kind",
    "Problem",
    "Relation",
    "Rule",
    "Span",
    "Unprotectable",
    "add_tables",
    "combine",
    "file_problem",
    "link_periods",
    "protect_file",
    "protect_with_witnesses",
    "audit",
    "check_threshold",
    "intervals",
    "protect",
    "require_safe",
]
