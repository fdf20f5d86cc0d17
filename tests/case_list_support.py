"""The case list as the records say it should be, and as it is stored: the tests of the derived
``case_list`` table (kept by triggers, and filled once by the import) compare the two."""

from __future__ import annotations

from sqlite_utils import Database


def expected_rows(db: Database) -> set[tuple[object, ...]]:
    """The case list as the records say it should be (written out here, not the app's SQL)."""
    return set(
        db.execute(
            """
            SELECT c.id, p.display_label, p.label_key, COALESCE(r.received_date, c.start_date),
                   (SELECT MAX(m.date) FROM meeting m
                    WHERE m.case_id = c.id AND m.held = 1 AND m.deleted_at IS NULL),
                   c.status, c.activity, c.area, c.next_followup_date
            FROM cases c JOIN person p ON p.id = c.person_id LEFT JOIN referral r ON r.id = c.referral_id
            WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL"""
        ).fetchall()
    )


def stored_rows(db: Database) -> set[tuple[object, ...]]:
    """The rows of ``case_list`` in the same columns as :func:`expected_rows`."""
    return set(
        db.execute(
            "SELECT case_id, display_label, label_key, list_date, last_meeting_date, status, activity, "
            "area, next_followup_date FROM case_list"
        ).fetchall()
    )
