"""``mentor-tui encrypt`` and ``mentor-tui rekey`` (issue 13 item 1), and how every command gets
the passphrase of an encrypted database.

A passphrase comes from ``--passphrase-file`` or ``$MENTOR_TUI_PASSPHRASE`` (for scripts and
tests; weaker, see docs/security.md), else it is asked on the terminal without echo. Wrong
passphrases slow down (:class:`~mentor_tui.services.security.passphrase.PassphraseAttempts`).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual, Catalog
from mentor_tui.locations import backup_directory
from mentor_tui.services.security.passphrase import PassphraseAttempts, passphrase_from, read_passphrase_file
from mentor_tui.storage import encryption
from mentor_tui.storage.connections import Driver

T = Catalog(
    {
        "ask": ("Adgangsfrase til {path}: ", "Passphrase for {path}: "),
        "ask-new": ("Ny adgangsfrase: ", "New passphrase: "),
        "ask-again": ("Gentag den nye adgangsfrase: ", "Repeat the new passphrase: "),
        "wrong": ("Forkert adgangsfrase.", "Wrong passphrase."),
        "encrypted": (
            "{path} er nu krypteret med SQLCipher 4 ({tables} tabeller kontrolleret: samme rækker og "
            "værdier som før).",
            "{path} is now encrypted with SQLCipher 4 ({tables} tables verified: the same rows and "
            "values as before).",
        ),
        "plain-gone": (
            "Den ukrypterede fil er overskrevet med nuller og slettet ({files}). På en SSD kan gamle "
            "blokke overleve; brug også diskkryptering (BitLocker/FileVault/LUKS), se docs/security.md.",
            "The plain file was overwritten with zeros and deleted ({files}). On an SSD old blocks "
            "may survive; use full-disk encryption too (BitLocker/FileVault/LUKS), see docs/security.md.",
        ),
        "backups-encrypted": (
            "{n} ukrypterede sikkerhedskopier i {folder} er også krypteret.",
            "{n} plain backups in {folder} were encrypted too.",
        ),
        "remember": (
            "Husk adgangsfrasen: den gemmes ingen steder, og en glemt adgangsfrase kan ikke gendannes.",
            "Remember the passphrase: it is stored nowhere, and a forgotten passphrase cannot be recovered.",
        ),
        "rekeyed": ("Adgangsfrasen til {path} er skiftet.", "The passphrase of {path} was changed."),
        "backups-rekeyed": (
            "{n} sikkerhedskopier i {folder} har også fået den nye adgangsfrase.",
            "{n} backups in {folder} were given the new passphrase too.",
        ),
        "backups-kept": (
            "{n} sikkerhedskopier åbnes ikke af den gamle adgangsfrase og har beholdt deres egen: {files}",
            "{n} backups do not open with the old passphrase and keep their own: {files}",
        ),
    }
)

NO_TERMINAL = Bilingual(
    "Databasen er krypteret, og der er ingen terminal at spørge i: brug --passphrase-file FIL "
    "eller miljøvariablen MENTOR_TUI_PASSPHRASE.",
    "The database is encrypted and there is no terminal to ask in: use --passphrase-file FILE "
    "or the environment variable MENTOR_TUI_PASSPHRASE.",
)

MISMATCH = Bilingual(
    "De to adgangsfraser er ikke ens; intet er ændret.", "The two passphrases differ; nothing was changed."
)

TOO_MANY = Bilingual("For mange forkerte forsøg.", "Too many wrong attempts.")

PROMPT_TRIES = 3
"""How many times the terminal asks before giving up."""

Prompt = Callable[[str], str]
"""Reads a passphrase without echo (``getpass.getpass``)."""


def add_passphrase_option(parser: argparse.ArgumentParser, *, suppress_default: bool) -> None:
    """Add ``--passphrase-file`` (every command takes it)."""
    parser.add_argument(
        "--passphrase-file",
        metavar="PATH",
        default=argparse.SUPPRESS if suppress_default else None,
        help="read the passphrase of an encrypted database from the first line of PATH "
        "(for scripts; weaker than typing it, see docs/security.md). "
        "$MENTOR_TUI_PASSPHRASE is the other way",
    )


def add_encrypt_arguments(parser: argparse.ArgumentParser) -> None:
    """``encrypt`` has no options of its own besides the common ones."""


def add_rekey_arguments(parser: argparse.ArgumentParser) -> None:
    """``rekey`` takes the new passphrase from a file or asks for it twice."""
    parser.add_argument(
        "--new-passphrase-file",
        metavar="PATH",
        help="read the new passphrase from the first line of PATH (default: ask twice)",
    )


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def given_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase from ``--passphrase-file`` or the environment, if any."""
    file = getattr(args, "passphrase_file", None)
    return passphrase_from(Path(file) if file else None)


def ask_existing(path: Path, *, prompt: Prompt = getpass.getpass, interactive: bool | None = None) -> str:
    """Ask on the terminal for the passphrase that opens ``path``; wrong ones slow down.

    Raises:
        MentorError: there is no terminal, or :data:`PROMPT_TRIES` attempts were wrong.
    """
    if not (_interactive() if interactive is None else interactive):
        raise MentorError(NO_TERMINAL)
    attempts = PassphraseAttempts(lambda p: encryption.passphrase_opens(path, p))
    for _ in range(PROMPT_TRIES):
        passphrase = prompt(T("ask", path=path))
        if attempts.attempt(passphrase):
            return passphrase
        print(T("wrong"), file=sys.stderr)
    raise MentorError(TOO_MANY)


def passphrase_for(path: Path, args: argparse.Namespace) -> str | None:
    """The passphrase to open ``path`` with: given, asked (when the file is encrypted), or none."""
    given = given_passphrase(args)
    if given is not None or not encryption.is_encrypted(path):
        return given
    encryption.dbapi()  # say what to install before asking for anything
    return ask_existing(path)


def driver_for(path: Path, args: argparse.Namespace) -> Driver:
    """How to open ``path`` for a command: with the key of its passphrase when it is encrypted."""
    return encryption.driver_for(path, passphrase_for(path, args))


PLAIN_OVER_ENCRYPTED = Bilingual(
    "{source} er ikke krypteret, men {target} er krypteret (eller beskadiget). Gendannes kopien, "
    "ligger oplysningerne ubeskyttet på disken. Kryptér først kopien («mentor-tui --db {source} "
    "encrypt») og gendan den så. Var {target} aldrig krypteret, men er den beskadiget, så tilføj "
    "--allow-unencrypted. Intet er ændret.",
    "{source} is not encrypted, but {target} is encrypted (or damaged). Restoring the backup would "
    "leave the records unprotected on disk. Encrypt the backup first (“mentor-tui --db {source} "
    "encrypt”), then restore it. If {target} was never encrypted but is damaged, add "
    "--allow-unencrypted. Nothing was changed.",
)
"""Restoring a plain backup over an encrypted database is refused unless asked for (issue 13:
encryption at rest is never undone silently). A damaged file cannot be told from an encrypted one
without its passphrase, hence the flag."""


def restore_drivers(source: Path, target: Path, args: argparse.Namespace) -> tuple[Driver, Driver]:
    """How ``restore`` opens the backup ``source`` and the database ``target`` it replaces.

    One passphrase (asked once) for both, each file with its own key (each has its own salt). A
    current file that passphrase does not open gets the backup's driver: it then reads as
    unreadable and is kept aside whole (:func:`mentor_tui.storage.backup.restore_database`).
    """
    if (
        target.exists()
        and encryption.is_encrypted(target)
        and not encryption.is_encrypted(source)
        and not getattr(args, "allow_unencrypted", False)
    ):
        raise encryption.EncryptionRefusedError(PLAIN_OVER_ENCRYPTED.format(source=source, target=target))
    passphrase = passphrase_for(source, args)
    source_driver = encryption.driver_for(source, passphrase)
    if not target.exists():
        return source_driver, source_driver
    try:
        return source_driver, encryption.driver_for(target, passphrase)
    except encryption.WrongPassphraseError:
        return source_driver, source_driver


MIN_NEW_PASSPHRASE = 8
"""The fewest characters a new passphrase may have. The key derivation slows every guess down,
but a short passphrase is still found by trying them all; a few words are best (docs/security.md)."""


def check_new(passphrase: str) -> str:
    """Return ``passphrase`` if it may become a database's passphrase.

    Raises:
        MentorError: it is shorter than :data:`MIN_NEW_PASSPHRASE` characters (nothing is changed).
    """
    if len(passphrase.strip()) < MIN_NEW_PASSPHRASE:
        raise MentorError(
            Bilingual(
                "Adgangsfrasen skal have mindst {n} tegn; nogle få ord er bedst. Intet er ændret.",
                "The passphrase must have at least {n} characters; a few words are best. "
                "Nothing was changed.",
            ).format(n=MIN_NEW_PASSPHRASE)
        )
    return passphrase


def ask_new(prompt: Prompt = getpass.getpass, *, interactive: bool | None = None) -> str:
    """Ask twice for a new passphrase (never echoed).

    Raises:
        MentorError: no terminal, an empty passphrase, or the two differ.
    """
    if not (_interactive() if interactive is None else interactive):
        raise MentorError(NO_TERMINAL)
    first = prompt(T("ask-new"))
    if not first:
        raise MentorError(
            Bilingual(
                "Adgangsfrasen er tom; intet er ændret.", "The passphrase is empty; nothing was changed."
            )
        )
    check_new(first)
    if prompt(T("ask-again")) != first:
        raise MentorError(MISMATCH)
    return first


def run_encrypt(args: argparse.Namespace, path: Path, *, prompt: Prompt = getpass.getpass) -> int:
    """Encrypt the plain database at ``path`` (and the plain backups beside it)."""
    from mentor_tui.storage.backup_rotation import backups_of

    encryption.dbapi()  # without the extra: say what to install, nothing else
    if not path.is_file():
        raise MentorError(Bilingual("Filen findes ikke: {path}", "No such file: {path}").format(path=path))
    if encryption.is_encrypted(path):
        raise encryption.EncryptionRefusedError(
            Bilingual(
                "{path} er allerede krypteret. Brug «mentor-tui rekey» for at skifte adgangsfrase.",
                "{path} is already encrypted. Use “mentor-tui rekey” to change the passphrase.",
            ).format(path=path)
        )
    passphrase = given_passphrase(args)
    passphrase = ask_new(prompt) if passphrase is None else check_new(passphrase)
    report = encryption.encrypt_file(path, passphrase)
    print(T("encrypted", path=path, tables=len(report.tables)))
    print(T("plain-gone", files=", ".join(p.name for p in report.shredded)))
    plain_backups = [b for b in backups_of(backup_directory(), path.stem) if not encryption.is_encrypted(b)]
    for backup in plain_backups:
        encryption.encrypt_file(backup, passphrase)
    if plain_backups:
        print(T("backups-encrypted", n=len(plain_backups), folder=plain_backups[0].parent))
    print(T("remember"))
    return 0


def run_rekey(args: argparse.Namespace, path: Path, *, prompt: Prompt = getpass.getpass) -> int:
    """Change the passphrase of the encrypted database at ``path`` (and of its backups)."""
    from mentor_tui.storage.backup_rotation import backups_of

    encryption.dbapi()
    if not encryption.is_encrypted(path):
        raise encryption.EncryptionRefusedError(
            Bilingual(
                "{path} er ikke krypteret. Brug «mentor-tui encrypt» først.",
                "{path} is not encrypted. Use “mentor-tui encrypt” first.",
            ).format(path=path)
        )
    old = passphrase_for(path, args)
    assert old is not None
    new = (
        check_new(read_passphrase_file(Path(args.new_passphrase_file)))
        if args.new_passphrase_file
        else ask_new(prompt)
    )
    encryption.rekey(path, old, new)
    print(T("rekeyed", path=path))
    moved, kept = [], []
    for backup in backups_of(backup_directory(), path.stem):
        if encryption.is_encrypted(backup) and encryption.passphrase_opens(backup, old):
            encryption.rekey(backup, old, new)
            moved.append(backup)
        else:
            kept.append(backup)
    if moved:
        print(T("backups-rekeyed", n=len(moved), folder=moved[0].parent))
    if kept:
        print(T("backups-kept", n=len(kept), files=", ".join(b.name for b in kept)))
    print(T("remember"))
    return 0
