"""Passphrase attempts (issue 13 item 1): repeated failures slow down; where a script's
passphrase comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentor_tui.errors import MentorError
from mentor_tui.services.security.passphrase import (
    PASSPHRASE_ENV,
    PassphraseAttempts,
    passphrase_from,
)


def test_each_failure_makes_the_next_attempt_wait_longer_and_success_resets() -> None:
    waits: list[float] = []
    attempts = PassphraseAttempts(lambda p: p == "rigtig", sleep=waits.append)
    for _ in range(8):
        assert not attempts.attempt("forkert")
    assert waits == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert attempts.attempt("rigtig")
    assert waits[-1] == 30.0  # the right one waited too: the delay comes before the check
    waits.clear()
    assert not attempts.attempt("forkert")
    assert waits == []  # a right passphrase reset the count


def test_an_empty_passphrase_is_never_tried() -> None:
    tried: list[str] = []

    def check(passphrase: str) -> bool:
        tried.append(passphrase)
        return True

    attempts = PassphraseAttempts(check, sleep=lambda s: None)
    assert not attempts.attempt("")
    assert tried == []


def test_passphrase_file_wins_over_the_environment(tmp_path: Path) -> None:
    file = tmp_path / "pass.txt"
    file.write_text("fra fil æøå\nanden linje\n", encoding="utf-8")
    assert passphrase_from(file, {PASSPHRASE_ENV: "fra miljø"}) == "fra fil æøå"
    assert passphrase_from(None, {PASSPHRASE_ENV: "fra miljø"}) == "fra miljø"
    assert passphrase_from(None, {}) is None


@pytest.mark.parametrize("content", ["", "\nsecond line\n"])
def test_an_empty_passphrase_file_is_refused(tmp_path: Path, content: str) -> None:
    file = tmp_path / "pass.txt"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(MentorError) as caught:
        passphrase_from(file)
    assert "ingen adgangsfrase" in caught.value.text("da")
    assert "no passphrase" in caught.value.text("en")


def test_a_missing_passphrase_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(MentorError) as caught:
        passphrase_from(tmp_path / "none.txt")
    assert "Cannot read the passphrase" in caught.value.text("en")
