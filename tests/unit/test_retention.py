"""Retention (issue 13 item 4): who is due, that past counts stay exactly the same, that nothing of a
removed label is left in the file's bytes, and that the run is audited.

The database is demo-like (:mod:`tests.retention_support`): the demo caseload plus persons at the
edges (an age-band change during the case and after it, a reopening note and a void reason that
name the person, an open case, a recent closure). Retention runs on 2027-08-02 with a 12-month
period.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentor_tui.__main__ import build_parser
from mentor_tui.__main__ import run as cli
from mentor_tui.ages import kept_band_on
from mentor_tui.clock import FixedClock
from mentor_tui.codes import AgeBand
from mentor_tui.commands import export_command, retention_command
from mentor_tui.config import Settings
from mentor_tui.errors import MentorError
from mentor_tui.models import label_key
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.services.counts.dashboard import exact_figures
from mentor_tui.services.counts.periods import parse_period
from mentor_tui.services.security import person_report, retention
from mentor_tui.services.security.passphrase import PASSPHRASE_ENV
from mentor_tui.storage.case_list import CaseListQuery, CaseListReader, purge_search_index
from mentor_tui.storage.database import open_database
from mentor_tui.storage.repositories import Repositories
from tests.retention_support import (
    CLOSED_RECENTLY,
    DISTINCT_LABEL,
    PAST_PERIODS,
    REOPEN_NOTE,
    RETENTION_MONTHS,
    RUN_CLOCK,
    STILL_OPEN,
    TURNS_18,
    TURNS_30,
    VOID_REASON,
    add_edge_persons,
    build_demo_like,
    copy_database,
    raw_bytes,
)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo-like database, built once for the module (never written to by a test)."""
    return build_demo_like(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def repos(demo_file: Path, tmp_path: Path) -> Iterator[Repositories]:
    """A private copy of the demo-like database, opened at the run's time."""
    db = open_database(copy_database(demo_file, tmp_path / "mentor.db"))
    yield Repositories(db, RUN_CLOCK)
    db.close()


def _labels(plan: retention.RetentionPlan) -> set[str]:
    return {p.label for p in plan.persons}


# -- who is due ----------------------------------------------------------------------------------


def test_only_persons_without_open_or_recent_cases_are_due(repos: Repositories) -> None:
    plan = retention.plan(repos, RETENTION_MONTHS)
    assert plan.cutoff == dt.date(2026, 8, 2)
    assert {DISTINCT_LABEL, TURNS_30, TURNS_18} <= _labels(plan)
    assert STILL_OPEN not in _labels(plan)
    assert CLOSED_RECENTLY not in _labels(plan)
    assert len(plan.persons) >= 10  # demo persons too
    for person in plan.persons:
        assert person.last_day <= plan.cutoff
        assert all(case.voided or case.closed is not None for case in person.cases)
    # a shorter period takes in the recent closure; the open case never goes
    later = retention.plan(repos, 1)
    assert CLOSED_RECENTLY in _labels(later)
    assert STILL_OPEN not in _labels(later)


def test_the_kept_age_bands_follow_the_person_across_a_birthday(repos: Repositories) -> None:
    plan = {p.label: p for p in retention.plan(repos, RETENTION_MONTHS).persons}
    kept30 = plan[TURNS_30].kept_age_bands(plan[TURNS_30].last_day.replace(year=2027))
    assert kept_band_on(kept30, dt.date(2026, 1, 31)) is AgeBand.B18_29
    assert kept_band_on(kept30, dt.date(2026, 2, 1)) is AgeBand.B30_64
    kept18 = plan[TURNS_18].kept_age_bands(dt.date(2027, 8, 2))
    assert kept_band_on(kept18, dt.date(2026, 1, 15)) is AgeBand.B13_17  # the case's last day
    assert kept_band_on(kept18, dt.date(2027, 6, 30)) is AgeBand.B18_29  # a range ending later
    # a person without a birthday at a band's edge keeps one band and nothing of the month
    kept = plan[DISTINCT_LABEL].kept_age_bands(dt.date(2027, 8, 2))
    assert kept == f"{plan[DISTINCT_LABEL].first_day.isoformat()} 30_64"


# -- counts of past periods ------------------------------------------------------------------------


def _export_lines(path: Path, period: str, *, internal: bool, out: Path) -> list[str]:
    """Export ``period`` from the file at ``path`` as CSV; return its lines but ``generated_at``."""
    db = open_database(path)
    try:
        args = build_parser().parse_args(
            ["export", "--period", period, "--format", "csv", "--out", str(out)]
            + (["--internal"] if internal else [])
        )
        export_command.run(args, Repositories(db, RUN_CLOCK), Settings())
    finally:
        db.close()
    lines = [line for line in out.read_text(encoding="utf-8-sig").splitlines() if "generated_at" not in line]
    for written in out.parent.glob(f"{out.stem}*.csv"):  # the file and its metadata file
        written.unlink()
    return lines


@pytest.fixture(scope="module")
def before_and_after(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The database as it was (``before``) and after a retention run (``after``)."""
    folder = tmp_path_factory.mktemp("counts")
    before = copy_database(demo_file, folder / "before.db")
    after = copy_database(demo_file, folder / "after.db")
    db = open_database(after)
    repos = Repositories(db, RUN_CLOCK)
    done = retention.run(repos, retention.plan(repos, RETENTION_MONTHS))
    db.close()
    assert done.persons >= 10
    return before, after


@pytest.mark.parametrize("period", PAST_PERIODS)
def test_exact_counts_of_past_periods_are_the_same_after_retention(
    before_and_after: tuple[Path, Path], period: str, tmp_path: Path
) -> None:
    before, after = before_and_after
    old = _export_lines(before, period, internal=True, out=tmp_path / "before.csv")
    new = _export_lines(after, period, internal=True, out=tmp_path / "after.csv")
    assert len(old) > 1000
    assert new == old


@pytest.mark.parametrize("period", ["PY2-Q2", "PY2"])
def test_suppressed_counts_of_past_periods_are_the_same_after_retention(
    before_and_after: tuple[Path, Path], period: str, tmp_path: Path
) -> None:
    before, after = before_and_after
    old = _export_lines(before, period, internal=False, out=tmp_path / "before.csv")
    new = _export_lines(after, period, internal=False, out=tmp_path / "after.csv")
    assert any(";<" in line or line.endswith(";") for line in old) or len(old) > 1000
    assert new == old


def test_my_cases_on_the_dashboard_are_the_same_after_retention(before_and_after: tuple[Path, Path]) -> None:
    figures = []
    for path in before_and_after:
        db = open_database(path)
        repos = Repositories(db, RUN_CLOCK)
        staff = [s.id for s in repos.staff.all(order_by="id")]
        figures.append(
            [
                exact_figures(repos, parse_period(p), staff_id=s)
                for p in ("PY2", "PY1")
                for s in [None, *staff]
            ]
        )
        db.close()
    assert figures[0] == figures[1]
    assert any(any(f.values()) for f in figures[0])


# -- what is gone --------------------------------------------------------------------------------


def test_nothing_of_a_removed_label_or_its_notes_is_left_in_the_file_or_its_wal(
    repos: Repositories, tmp_path: Path
) -> None:
    path = tmp_path / "mentor.db"  # the file of ``repos``
    secrets = [DISTINCT_LABEL, label_key(DISTINCT_LABEL), REOPEN_NOTE, VOID_REASON, "Qwertzuiop"]
    before = raw_bytes(path)
    assert all(s.encode() in before for s in secrets[:3])  # the test can fail: they are there now

    done = retention.run(repos, retention.plan(repos, RETENTION_MONTHS))

    assert done.wal_emptied
    after = raw_bytes(path)
    for secret in secrets:
        assert secret.encode("utf-8") not in after, secret
        assert secret.encode("utf-16-le") not in after, secret
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    # other persons keep everything
    assert STILL_OPEN.encode() in after
    assert CLOSED_RECENTLY.encode() in after


def _index_bytes(repos: Repositories) -> bytes:
    blocks = repos.db.execute("SELECT block FROM case_search_data").fetchall()
    return b"".join(bytes(b[0]) for b in blocks)


def test_the_case_list_and_its_search_index_keep_nothing_of_an_anonymised_person(
    repos: Repositories, tmp_path: Path
) -> None:
    """The derived case list (m006) copies labels into a table and a trigram index: both forget them."""
    if repos.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'case_search'").fetchone() is None:
        pytest.skip("this SQLite has no FTS5 trigram tokenizer")
    reader = CaseListReader(repos.db)
    key = label_key(DISTINCT_LABEL)
    others = {r[0] for r in repos.db.execute("SELECT label_key FROM person WHERE label_key != ?", [key])}
    # and not in the schema's own text ("insert", "lower"): what is left can only come from the label
    others |= {
        r[0].casefold() for r in repos.db.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")
    }
    trigrams = {key[i : i + 3] for i in range(len(key) - 2)}
    own = {t.encode() for t in trigrams if not any(t in other for other in others)}
    assert [r.display_label for r in reader.first_page(CaseListQuery(text="qwertz"), 10)] == [DISTINCT_LABEL]
    purge_search_index(repos.db)  # one merged segment, as in a file in use for a while: the
    repos.db.conn.commit()  # run's small new segments alone would be merged away on their own
    assert len({t for t in own if t in _index_bytes(repos)}) >= 5  # the test can fail: the index has them

    done = retention.run(repos, retention.plan(repos, RETENTION_MONTHS))

    assert done.persons
    assert reader.first_page(CaseListQuery(text="qwertz"), 10) == []
    assert reader.first_page(CaseListQuery(text="qw"), 10) == []  # the short search (label_key index)
    listed = {r.display_label for r in reader.first_page(CaseListQuery(), 1000)}
    assert STILL_OPEN in listed
    assert not {DISTINCT_LABEL, TURNS_18, TURNS_30} & listed
    assert reader.counts(CaseListQuery(), dt.date(2026, 11, 20)).total == len(repos.cases.summaries())
    assert {t for t in own if t in _index_bytes(repos)} == set()
    after = raw_bytes(tmp_path / "mentor.db")
    assert {t for t in own if t in after} == set()


def test_an_anonymised_person_can_no_longer_be_found(repos: Repositories) -> None:
    casework = CaseworkService(repos)
    assert casework.find_persons("Qwertzuiop")
    retention.run(repos, retention.plan(repos, RETENTION_MONTHS))

    assert casework.find_persons("Qwertzuiop") == []
    assert repos.persons.search(label_key("Qwertzuiop")) == []
    assert repos.cases.summaries(label_like="Qwertzuiop") == []
    with pytest.raises(person_report.PersonNotFoundError):
        person_report.find_person(repos, DISTINCT_LABEL)
    # the case list shows no anonymised case, and the kept persons as before
    listed = {s.display_label for s in repos.cases.summaries()}
    assert STILL_OPEN in listed
    assert not {DISTINCT_LABEL, TURNS_18, TURNS_30} & listed
    # the anonymised rows: no label, no birth month, no free text, the kept bands and the run
    row = repos.db.execute(
        "SELECT display_label, label_key, birth_year, birth_month, gender, ydelsestype, parathed, "
        "kept_age_bands, retention_run_id FROM person WHERE retention_run_id IS NOT NULL LIMIT 1"
    ).fetchone()
    assert row[:7] == (None,) * 7
    assert row[7]
    assert row[8]
    assert (
        repos.db.execute("SELECT COUNT(*) FROM reopening WHERE note LIKE '%Qwertzuiop%'").fetchone()[0] == 0
    )
    assert (
        repos.db.execute("SELECT COUNT(*) FROM meeting WHERE deleted_reason LIKE '%Qwertzuiop%'").fetchone()[
            0
        ]
        == 0
    )
    # a second run finds nobody new
    assert retention.plan(repos, RETENTION_MONTHS).persons == ()


def test_the_run_is_in_the_audit_trail_and_the_trail_stays_append_only(repos: Repositories) -> None:
    plan = retention.plan(repos, RETENTION_MONTHS)
    done = retention.run(repos, plan)
    run_row = repos.db.execute(
        "SELECT cutoff_date, retention_months, persons, finished_at FROM retention_run WHERE id = ?",
        [done.run_id],
    ).fetchone()
    assert run_row[:3] == ("2026-08-02", RETENTION_MONTHS, len(plan.persons))
    assert run_row[3] is not None
    logged = repos.audit_trail([done.run_id])
    assert sorted(e.action for e in logged) == ["insert", "update"]  # started, finished
    assert next(e for e in logged if e.action == "insert").new_values["persons"] == len(plan.persons)
    # the anonymised person's trail keeps who and when, without the values
    person_id = next(p.person_id for p in plan.persons if p.label == DISTINCT_LABEL)
    trail = json.dumps([(e.old_values, e.new_values) for e in repos.audit_trail(_ids(repos, person_id))])
    assert "Qwertzuiop" not in trail
    assert "KVINDE" not in trail
    # outside a run, nothing in the trail may change
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), repos.atomic():
        repos.db.execute("UPDATE audit_log SET new_values = '{}' WHERE row_id = ?", [person_id])


def _ids(repos: Repositories, person_id: str) -> list[str]:
    from mentor_tui.storage.retention import record_ids

    return record_ids(repos.db, person_id)


def test_a_person_whose_case_was_reopened_after_the_listing_is_left_alone(repos: Repositories) -> None:
    plan = retention.plan(repos, RETENTION_MONTHS)
    target = next(p for p in plan.persons if p.label == TURNS_30)
    case = repos.cases.live_for_person(target.person_id)[0]
    CaseworkService(repos).reopen_case(case.id, note="Kom tilbage", date="2027-08-01")

    done = retention.run(repos, plan)

    assert done.persons == len(plan.persons) - 1
    assert person_report.find_person(repos, TURNS_30) == target.person_id


# -- the command -----------------------------------------------------------------------------------


def _config(tmp_path: Path, months: int) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f"retention_months = {months}\n", encoding="utf-8")
    return config


def test_the_dry_run_lists_who_would_go_and_writes_nothing(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_database(demo_file, tmp_path / "mentor.db")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    # the real clock: a one-month period takes in everything closed before last month
    code = cli(["--db", str(path), "--config", str(_config(tmp_path, 1)), "retention", "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert DISTINCT_LABEL in out
    assert STILL_OPEN not in out
    assert "Prøvekørsel: intet er ændret" in out
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not Path(f"{path}-wal").exists()
    assert not Path(f"{path}-shm").exists()


def test_the_command_asks_first_and_a_no_changes_nothing(
    repos: Repositories, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser().parse_args(["retention"])
    settings = Settings(retention_months=RETENTION_MONTHS)
    asked: list[str] = []

    def answer(question: str) -> str:
        asked.append(question)
        return "nej"

    assert retention_command.run(args, repos, settings, confirm=answer, interactive=True) == 1
    assert "kan ikke fortrydes" in asked[0]
    assert "Afbrudt: intet er ændret" in capsys.readouterr().out
    assert retention.plan(repos, RETENTION_MONTHS).persons  # still due

    with pytest.raises(MentorError) as no_terminal:
        retention_command.run(args, repos, settings, interactive=False)
    assert "--yes" in no_terminal.value.text("en")

    assert retention_command.run(args, repos, settings, confirm=lambda _: "ja", interactive=True) == 0
    out = capsys.readouterr().out
    assert "anonymiseret" in out
    assert "Sikkerhedskopier fra før i dag" in out
    assert retention.plan(repos, RETENTION_MONTHS).persons == ()


def test_the_command_speaks_english(
    repos: Repositories, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentor_tui.i18n import set_language

    set_language("en")
    args = build_parser().parse_args(["retention", "--yes"])
    assert retention_command.run(args, repos, Settings(retention_months=RETENTION_MONTHS)) == 0
    out = capsys.readouterr().out
    assert "born" in out
    assert "anonymised" in out
    assert "Backups from before today" in out
    assert retention_command.run(args, repos, Settings(retention_months=RETENTION_MONTHS)) == 0
    assert "No persons are due" in capsys.readouterr().out


def test_the_app_says_at_start_when_persons_are_due(repos: Repositories) -> None:
    notices = retention.due_notice(repos, RETENTION_MONTHS)
    assert len(notices) == 1
    assert "mentor-tui retention --dry-run" in notices[0].text("da")
    assert "due for anonymisation" in notices[0].text("en")
    retention.run(repos, retention.plan(repos, RETENTION_MONTHS))
    assert retention.due_notice(repos, RETENTION_MONTHS) == []


def test_retention_works_on_an_encrypted_file(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra (sqlcipher3) is not installed")
    from mentor_tui.storage import encryption

    path = tmp_path / "mentor.db"
    db = open_database(path)
    add_edge_persons(CaseworkService(Repositories(db, clock)))
    db.close()
    monkeypatch.setenv(PASSPHRASE_ENV, "seks ord der ikke kan gættes")
    assert cli(["--db", str(path), "encrypt"]) == 0
    config = str(_config(tmp_path, 1))
    capsys.readouterr()

    assert cli(["--db", str(path), "--config", config, "retention", "--yes"]) == 0
    out = capsys.readouterr().out
    assert DISTINCT_LABEL in out  # listed before it went
    assert "anonymiseret" in out
    assert encryption.is_encrypted(path)
    assert cli(["--db", str(path), "person-report", DISTINCT_LABEL]) == 2
    capsys.readouterr()
    assert cli(["--db", str(path), "--config", config, "retention", "--dry-run"]) == 0
    assert "Ingen personer skal anonymiseres" in capsys.readouterr().out


def test_an_import_does_not_bring_an_anonymised_person_back(tmp_path: Path, clock: FixedClock) -> None:
    from mentor_tui.services.importing.importer import Importer

    header = "person_ref;birth;gender;area;activity;event;date;code;staff;consent;status"
    rows = [
        "P1;1980-01;MAND;RISING;A9_BESKAEFTIGELSESRAADGIVNING;henvisning;2025-05-01;JOBRAADGIVER;;;",
        "P1;1980-01;MAND;RISING;A9_BESKAEFTIGELSESRAADGIVNING;opstart;2025-05-04;RAADGIVNINGSSAMTALE;;;",
        "P1;1980-01;MAND;RISING;A9_BESKAEFTIGELSESRAADGIVNING;afslutning;2025-09-01;MAAL_NAAET_BEHOV_OPFYLDT;;;",
    ]
    first = tmp_path / "first.csv"
    first.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    again = tmp_path / "again.csv"
    again.write_text(
        "\n".join(
            [
                header,
                *rows,
                "P1;1980-01;MAND;RISING;A7_MENTOR_AKTIVITETSPARAT;henvisning;2025-10-01;JOBRAADGIVER;;;",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    db = open_database(tmp_path / "mentor.db")
    repos = Repositories(db, clock)
    assert not Importer(repos).import_file(first).problems
    assert retention.run(repos, retention.plan(repos, RETENTION_MONTHS)).persons == 1
    counts = {
        t: repos.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for t in ("person", "cases", "referral")
    }

    result = Importer(repos).import_file(again)

    assert {p.problem.code for p in result.problems} == {"anonymised_person"}
    assert "anonymised after the retention period" in result.problems[0].problem.message.en
    assert {t: repos.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in counts} == counts
    db.close()
