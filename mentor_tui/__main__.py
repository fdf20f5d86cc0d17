"""Command line: ``mentor-tui`` starts the app; sub-commands ``locate``, ``export``, ``import``,
``backup``, ``restore``, ``check``, ``encrypt``, ``rekey``, ``retention`` and ``person-report``.

:func:`run` is the one top-level handler of the CLI and the app: an expected error
(:class:`MentorError`) is printed in the user's language with exit code 2; anything else is
logged without resident data (:mod:`mentor_tui.errorlog`) and reported in one short line with
exit code 70; Ctrl+C exits with 130. No traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mentor_tui import __version__
from mentor_tui.clock import Clock
from mentor_tui.codes import Lang
from mentor_tui.commands import encrypt_command
from mentor_tui.commands.help_texts import argparse_language, language_from_argv, translate_parser
from mentor_tui.config import Settings, load_settings
from mentor_tui.errorlog import report_unexpected
from mentor_tui.errors import MentorError
from mentor_tui.i18n import Bilingual, Catalog, set_language
from mentor_tui.i18n import lang as current_language
from mentor_tui.locations import config_file, data_directory, database_file, demo_database_file
from mentor_tui.services.security.passphrase import PassphraseAttempts
from mentor_tui.storage import encryption
from mentor_tui.storage.connections import SQLITE, Driver, ThreadConnections, can_write, open_connections

if TYPE_CHECKING:
    from mentor_tui.app import MentorApp
    from mentor_tui.storage.repositories import Repositories

T = Catalog(
    {
        "error": ("Fejl", "Error"),
        "not_found": ("Filen findes ikke: {path}", "File not found: {path}"),
        "interrupted": (
            "Afbrudt. Intet halvt er gemt.",
            "Interrupted. Nothing was half-saved.",
        ),
        "export_unrecorded": (
            "Bemærk: databasen er skrivebeskyttet, så eksporten er ikke noteret i eksportloggen.",
            "Note: the database is read-only, so the export was not recorded in the export log.",
        ),
    }
)


def _common_options(*, in_sub_command: bool) -> argparse.ArgumentParser:
    """The options every command takes.

    In a sub-command their defaults are ``SUPPRESS``, so ``mentor-tui --db X import F`` keeps X
    instead of the sub-parser resetting it to its own default.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if in_sub_command else value

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=default(None),
        help="database file (default: $MENTOR_TUI_DB or the user data directory)",
    )
    common.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="use the demo database with synthetic data (created on first use)",
    )
    common.add_argument(
        "--lang",
        choices=["da", "en"],
        default=default(None),
        help="UI language (default: da, or the config file)",
    )
    common.add_argument(
        "--config",
        metavar="PATH",
        default=default(None),
        help="config file (default: $MENTOR_TUI_CONFIG_FILE)",
    )
    encrypt_command.add_passphrase_option(common, suppress_default=in_sub_command)
    return common


_LAZY_COMMANDS: dict[str, str] = {
    "export": "mentor_tui.commands.export_command",
    "import": "mentor_tui.commands.import_command",
    "backup": "mentor_tui.commands.backup_command",
    "retention": "mentor_tui.commands.retention_command",
    "person-report": "mentor_tui.commands.person_report_command",
}
"""Sub-commands whose modules load sqlite-utils, the models, the export's or the import's code:
imported only when used, so starting the app does not pay for them (issue 12)."""


def _command(name: str) -> Any:
    return importlib.import_module(_LAZY_COMMANDS[name])


def build_parser(lang: Lang | None = None, argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Return the argument parser (``mentor-tui --help`` shows it), its texts in ``lang``
    (default: the UI language; :mod:`mentor_tui.commands.help_texts`).

    Args:
        lang: The language of the help texts and argparse's own words.
        argv: The arguments about to be parsed: the options of ``export`` and ``import`` are
            only added when they name that sub-command, so starting the app does not import
            them (``None``: always).
    """
    with argparse_language(lang or current_language()):
        parser = _build_parser(argv)
    translate_parser(parser, lang or current_language())
    return parser


def _build_parser(argv: Sequence[str] | None) -> argparse.ArgumentParser:
    def wanted(name: str) -> bool:
        return argv is None or name in argv

    common = _common_options(in_sub_command=False)
    sub_common = _common_options(in_sub_command=True)
    parser = argparse.ArgumentParser(
        prog="mentor-tui",
        description="Casework for BoligSocialt Hus: referrals, 3-partssamtaler, follow-ups, "
        "closures and anonymised counts. Without a sub-command it starts the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"mentor-tui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    locate = sub.add_parser("locate", parents=[sub_common], help="print where the data and config live")
    locate.add_argument("what", nargs="?", choices=["all", "data", "db", "config"], default="all")
    export = sub.add_parser("export", parents=[sub_common], help="write anonymised counts (CSV, XLSX, JSON)")
    if wanted("export"):
        _command("export").add_arguments(export)
    imp = sub.add_parser("import", parents=[sub_common], help="import registrations from CSV or XLSX")
    if wanted("import"):
        _command("import").add_arguments(imp)
    backup = sub.add_parser(
        "backup",
        parents=[sub_common],
        help="copy the database safely while it is in use (the way to copy it)",
    )
    if wanted("backup"):
        _command("backup").add_backup_arguments(backup)
    restore = sub.add_parser(
        "restore",
        parents=[sub_common],
        help="put a backup back in place (checked first; the current file is kept aside)",
    )
    if wanted("restore"):
        _command("backup").add_restore_arguments(restore)
    sub.add_parser("check", parents=[sub_common], help="check the database file in full (integrity)")
    enc = sub.add_parser(
        "encrypt",
        parents=[sub_common],
        help="encrypt the database with SQLCipher 4 (needs: pip install 'mentor-tui[encrypted]')",
    )
    encrypt_command.add_encrypt_arguments(enc)
    rekey = sub.add_parser(
        "rekey", parents=[sub_common], help="change the passphrase of an encrypted database"
    )
    encrypt_command.add_rekey_arguments(rekey)
    keep = sub.add_parser(
        "retention",
        parents=[sub_common],
        help="anonymise persons whose cases closed more than retention_months ago (--dry-run: list them)",
    )
    if wanted("retention"):
        _command("retention").add_arguments(keep)
    report = sub.add_parser(
        "person-report",
        parents=[sub_common],
        help="print everything stored about one person (right of access), as text or JSON",
    )
    if wanted("person-report"):
        _command("person-report").add_arguments(report)
    return parser


def resolve_db_path(args: argparse.Namespace) -> Path:
    """Return the database file: ``--db``, else the demo file with ``--demo``, else the default."""
    if args.db:
        return Path(args.db).expanduser()
    if args.demo:
        return demo_database_file()
    return database_file()


def open_repositories(
    path: Path,
    *,
    demo: bool,
    clock: Clock | None = None,
    readonly: bool = False,
    driver: Driver = SQLITE,
    check: bool | Literal["background"] = True,
) -> Repositories:
    """Open the database at ``path``; a demo database is filled with synthetic data when empty.

    A new demo file is built whole before it appears (a full disk leaves nothing behind).
    ``readonly`` opens for reading only (export, check, backup). ``driver`` opens an encrypted
    file (:func:`mentor_tui.storage.encryption.driver_for`). ``check`` as in
    :func:`~mentor_tui.storage.database.open_database` (the app checks in the background).
    """
    from mentor_tui.storage.database import create_database, open_database
    from mentor_tui.storage.repositories import Repositories

    clock = clock or Clock()
    if demo and not readonly and not path.exists():
        from mentor_tui.services.demo import populate_demo

        create_database(
            path,
            populate=lambda db: populate_demo(Repositories(db, clock), today=clock.today()),
            driver=driver,
        )
    repos = Repositories(open_database(path, readonly=readonly, driver=driver, check=check), clock)
    if demo and not readonly and repos.cases.count() == 0:
        from mentor_tui.services.demo import populate_demo

        populate_demo(repos, today=repos.clock.today())
    if not readonly and check != "background":
        # the audit trail names this laptop's user with every change (the import's too); the app
        # starts its session itself, in a thread, as this write waits for the background check
        local = repos.local_staff()
        repos.start_session(local.id if local is not None else None)
    return repos


def make_app(
    db_path: Path | str | None = None,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
    repos: Repositories | None = None,
    config_path: Path | None = None,
    connections: ThreadConnections | None = None,
) -> MentorApp:
    """Build the app on a database file (``None``: in memory). Tests use this too.

    ``config_path`` is the config file the settings came from: its ``[keymap]`` lines are named
    in messages, and the theme chosen in the app is written back to it. ``connections``: the
    file opened by :func:`~mentor_tui.storage.connections.open_connections` (``mentor-tui``
    itself): the app shows the case list on them and builds the repositories on first use.
    """
    from mentor_tui.app import MentorApp

    settings = settings or Settings()
    clock = clock or Clock()
    if repos is None and connections is None:
        from mentor_tui.storage.database import open_database
        from mentor_tui.storage.repositories import Repositories

        repos = Repositories(open_database(db_path), clock)
    set_language(settings.language)
    return MentorApp(repos, settings, clock=clock, config_path=config_path, connections=connections)


def _config_path(args: argparse.Namespace) -> Path:
    return Path(args.config).expanduser() if args.config else config_file()


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(_config_path(args))
    if args.lang:
        settings = replace(settings, language=args.lang)
    return settings


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI (or the app) and return the exit code: the one top-level error handler."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang: Lang = language_from_argv(argv, config_file())
    with argparse_language(lang):
        args = build_parser(lang, argv).parse_args(argv)
    try:
        settings = _settings(args)
        lang = settings.language
        set_language(lang)
        return _dispatch(args, settings)
    except MentorError as exc:
        print(f"mentor-tui: {T('error', lang)}: {exc.text(lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"mentor-tui: {T('interrupted', lang)}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (``mentor-tui retention --dry-run | head``): stop quietly with
        # 128 + SIGPIPE, as a Unix tool does; no message, it would go nowhere useful
        _silence_stdout()
        return 141
    except Exception as exc:
        message = report_unexpected(exc, where=f"command {args.command or 'app'}")
        print(f"mentor-tui: {T('error', lang)}: {message.text(lang)}", file=sys.stderr)
        return 70


def _silence_stdout() -> None:
    """Point standard output at the null device, so flushing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (tests): nothing to flush


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "locate":
        return _locate(args)
    path = resolve_db_path(args)
    if args.command == "encrypt":
        return encrypt_command.run_encrypt(args, path)
    if args.command == "rekey":
        return encrypt_command.run_rekey(args, path)
    if args.command == "restore":
        source = Path(args.file).expanduser()
        drivers = encrypt_command.restore_drivers(source, path, args)
        return int(_command("backup").run_restore(args, path, Clock().now(), *drivers))
    demo = bool(args.demo and not args.db)
    if (
        args.command is None
        and encryption.is_encrypted(path)
        and encrypt_command.given_passphrase(args) is None
    ):
        return _run_app_encrypted(path, demo=demo, settings=settings, config_path=_config_path(args))
    driver = encrypt_command.driver_for(path, args) if args.command != "check" else SQLITE
    if args.command is None:
        return _run_app(path, demo=demo, driver=driver, settings=settings, config_path=_config_path(args))
    # read-only work opens read-only; export writes its one log row only where it can
    readonly = (
        args.command in ("check", "backup", "person-report")
        or (args.command == "retention" and args.dry_run)
        or (args.command == "export" and path.exists() and not can_write(path))
    )
    repos = (
        open_repositories(path, demo=demo, readonly=readonly, driver=driver)
        if args.command != "check"
        else None
    )
    try:
        if args.command == "check":
            from mentor_tui.storage.database import open_database

            db = open_database(
                path, readonly=True, check=False, driver=encrypt_command.driver_for(path, args)
            )
            try:
                return int(_command("backup").run_check(db))
            finally:
                db.close()
        assert repos is not None
        if args.command == "backup":
            from mentor_tui.storage.database import ThreadLocalDatabase

            assert isinstance(repos.db, ThreadLocalDatabase)
            return int(_command("backup").run_backup(args, repos.db, Clock().now()))
        if args.command == "export":
            code = int(_command("export").run(args, repos, settings))
            if readonly:
                print(T("export_unrecorded"), file=sys.stderr)
            return code
        if args.command == "import":
            return int(_command("import").run(args, repos, settings))
        if args.command == "retention":
            return int(_command("retention").run(args, repos, settings))
        assert args.command == "person-report", args.command
        return int(_command("person-report").run(args, repos))
    finally:
        if repos is not None:
            repos.db.close()  # checkpoint and close


def _run_app(path: Path, *, demo: bool, driver: Driver, settings: Settings, config_path: Path) -> int:
    """Run the app on the file at ``path`` (opened with ``driver``) and return its exit code.

    The file is opened on plain connections and checked in the background, so the case list
    shows before sqlite-utils, pydantic and the repositories are loaded (issue 12); the demo
    file, which may have to be filled first, is opened with its repositories.

    Python's garbage collector is off until the first screen is up: the start makes many objects
    that live as long as the app, and looking for garbage among them cost about a tenth of its
    time; the app turns it on again once the case list is shown (or at once if it ends first).
    """
    gc.disable()
    try:
        return _start_app(path, demo=demo, driver=driver, settings=settings, config_path=config_path)
    finally:
        gc.enable()


def _start_app(path: Path, *, demo: bool, driver: Driver, settings: Settings, config_path: Path) -> int:
    if demo:
        app = make_app(
            settings=settings,
            repos=open_repositories(path, demo=True, driver=driver, check="background"),
            config_path=config_path,
        )
    else:
        connections = open_connections(path, driver=driver, check="background")
        app = make_app(settings=settings, connections=connections, config_path=config_path)
    app.start_work = partial(start_work, settings=settings)
    if encryption.is_encrypted(path):  # opened with a given passphrase: the lock still asks
        app.passphrase = PassphraseAttempts(partial(encryption.passphrase_opens, path))
    app.run()
    crash = getattr(app, "crash_message", None)
    if crash is not None:
        print(f"mentor-tui: {T('error')}: {crash.text()}", file=sys.stderr)
    return app.return_code or 0


def start_work(repos: Repositories, *, settings: Settings) -> list[Bilingual]:
    """What the app does at start besides showing the case list: the daily backup (issue 13 item
    3) and telling when retention has persons due (item 4). Seconds on a large file (a copy and
    its integrity check), so the app runs it in a thread after its first screen (issue 12).
    Returns the messages for the user; never raises for a failed backup (it says so)."""
    from mentor_tui.commands.backup_command import automatic_backup
    from mentor_tui.services.security import retention
    from mentor_tui.storage.database import ThreadLocalDatabase

    assert isinstance(repos.db, ThreadLocalDatabase)
    notices = automatic_backup(repos.db, repos.clock.now(), keep=settings.backup_keep)
    return notices + retention.due_notice(repos, settings.retention_months)


class EncryptedStart:
    """Opens an encrypted database with the passphrase typed into the app's first screen; later
    passphrases (the idle lock) are checked against the file without opening it again."""

    def __init__(self, path: Path, *, demo: bool, settings: Settings, clock: Clock | None = None) -> None:
        self.path = path
        self.demo = demo
        self.settings = settings
        self.clock = clock
        self.repos: Repositories | None = None
        self.notices: list[Bilingual] = []

    def check(self, passphrase: str) -> bool:
        """Return whether ``passphrase`` opens the file (the first right one opens it)."""
        if self.repos is not None:
            return encryption.passphrase_opens(self.path, passphrase)
        try:
            driver = encryption.driver_for(self.path, passphrase)
        except encryption.WrongPassphraseError:
            return False
        self.repos = open_repositories(self.path, demo=self.demo, clock=self.clock, driver=driver)
        return True

    def opened(self) -> tuple[Repositories, list[Bilingual]]:
        """The repositories opened by the right passphrase, and messages to show at once (none: the
        start-up backup and retention check run in the app's background, :func:`start_work`)."""
        assert self.repos is not None
        return self.repos, self.notices


def _run_app_encrypted(path: Path, *, demo: bool, settings: Settings, config_path: Path | None = None) -> int:
    from mentor_tui.app import MentorApp

    encryption.dbapi()  # without SQLCipher: say what to install instead of asking
    start = EncryptedStart(path, demo=demo, settings=settings)
    set_language(settings.language)
    app = MentorApp(
        None,
        settings,
        passphrase=PassphraseAttempts(start.check),
        opened=start.opened,
        file_name=str(path),
        config_path=config_path,
    )
    app.start_work = partial(start_work, settings=settings)
    app.run()
    crash = getattr(app, "crash_message", None)
    if crash is not None:
        print(f"mentor-tui: {T('error')}: {crash.text()}", file=sys.stderr)
    return app.return_code or 0


def _locate(args: argparse.Namespace) -> int:
    what = args.what
    if what in ("all", "data"):
        print(f"data:   {data_directory()}")
    if what in ("all", "db"):
        print(f"db:     {resolve_db_path(args)}")
        if what == "all":
            print(f"demo:   {demo_database_file()}")
    if what in ("all", "config"):
        print(f"config: {Path(args.config) if args.config else config_file()}")
    return 0


def main() -> None:
    """Console-script entry point."""
    code = run()
    try:
        sys.stdout.flush()  # here, not at interpreter exit, where a closed pipe is a traceback
    except BrokenPipeError:
        _silence_stdout()
        code = 141
    sys.exit(code)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    main()
