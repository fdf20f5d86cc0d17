"""The Textual application: wires settings and services into the screens."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.theme import Theme, ThemeProvider
from textual.timer import Timer
from textual.worker import Worker, WorkerFailed, WorkerState

from mentor_tui.clock import Clock
from mentor_tui.config import Settings, remember_theme
from mentor_tui.errorlog import log_unexpected, report_unexpected
from mentor_tui.errors import MentorError
from mentor_tui.gc_pacing import CHECK_EVERY, GcPacer, start_pacing
from mentor_tui.i18n import Bilingual, Catalog, set_language
from mentor_tui.keymap import KeymapProblem, check_keymap, default_keys, display_key, shown_keys
from mentor_tui.keys import KEY_TEXTS, key_label
from mentor_tui.screens.main import (
    MainScreen,
    open_dashboard,
    open_export,
    open_followups,
    open_new_referral,
)
from mentor_tui.services.security.passphrase import PassphraseAttempts
from mentor_tui.storage.connections import HasConnection, ThreadConnections, has_local_staff
from mentor_tui.widgets.bindings import MentorScreen, binding, key_command
from mentor_tui.widgets.keystrokes import OrderedKeysApp

if TYPE_CHECKING:
    from mentor_tui.models import Staff
    from mentor_tui.services.casework.service import CaseworkService
    from mentor_tui.storage.repositories import Repositories

T = Catalog(
    {
        "cmd-export": ("Eksport af anonymiserede tal", "Export anonymised counts"),
        "cmd-keys-show": ("Vis alle taster for dette skærmbillede", "Show every key on this screen"),
        "cmd-keys-hide": ("Skjul listen over taster", "Hide the list of keys"),
        "search-commands": ("Søg efter kommandoer…", "Search for commands…"),
        "search-themes": ("Søg efter tema…", "Search for themes…"),
        "keymap-title": ("Tastaturopsætningen i konfigurationsfilen", "The keymap in the config file"),
        "quit-title": ("Vil du lukke programmet?", "Do you want to quit?"),
        "quit-hint": ("Tryk {key} for at lukke programmet", "Press {key} to quit the app"),
        "bad-theme": (
            "Ukendt tema «{theme}» i konfigurationsfilen; bruger {default}",
            "Unknown theme “{theme}” in the config file; using {default}",
        ),
        "undone": ("Fortrudt: {what}", "Undone: {what}"),
        "nothing-to-undo": ("Intet at fortryde i denne session", "Nothing to undo in this session"),
        "welcome": ("Velkommen, {initials}", "Welcome, {initials}"),
    }
)

DEFAULT_THEME = "textual-dark"
"""Used when the configured theme does not exist."""

IDLE_CHECK_SECONDS = 5.0
"""How often the app compares the time of the last key press or click with the idle limit."""

START_WORK_LATEST = 3.0
"""Seconds after start when the start-up work (backup, retention count) begins even if the case
list has not said it is shown (it normally starts as soon as the list is painted)."""

ALLOWED_WHILE_LOCKED = frozenset({"quit"})
"""App actions a key may still trigger on the lock screen: nothing that shows a record."""

ACTIVITY_EVENTS = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp, events.Paste)
"""Input that counts as the user being at the keyboard (moving the mouse over the window does not)."""


class StartScreen(MentorScreen[None]):
    """The empty screen under the passphrase prompt of an encrypted database."""


PREPARE_IDLE = 0.25
"""Seconds without a key, click or paste before the case screen is composed ahead."""


class MentorApp(OrderedKeysApp[None]):
    """mentor-tui: casework for BoligSocialt Hus."""

    CSS_PATH = "app.tcss"
    TITLE = "mentor-tui"

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("ctrl+q", "quit", id="quit", priority=True),
        binding("ctrl+p", "command_palette", id="command-palette", show=False, priority=True),
        # priority: F1 must also work on the forms, which are modal and hide the app's bindings
        binding("f1", "help", id="help", priority=True),
        binding("question_mark", "toggle_keys", id="keys", show=False),
        binding("ctrl+t", "change_theme", id="theme", show=False),
        # not on the forms (modal): there ctrl+z belongs to the field being typed in
        binding("ctrl+z", "undo", id="undo", show=False),
    ]

    def __init__(
        self,
        repos: Repositories | None,
        settings: Settings,
        *,
        clock: Clock | None = None,
        passphrase: PassphraseAttempts | None = None,
        opened: Callable[[], tuple[Repositories, list[Bilingual]]] | None = None,
        file_name: str = "",
        config_path: Path | None = None,
        connections: ThreadConnections | None = None,
    ) -> None:
        """Build the app.

        Args:
            repos: the open database; ``None`` when it is encrypted and not opened yet.
            settings: the user's settings.
            clock: the app's clock (default: the repositories' clock).
            passphrase: checks the passphrase of an encrypted database (at start when ``repos`` is
                ``None``, and on the lock screen); ``None`` when the database is not encrypted.
            opened: returns the repositories once ``passphrase`` has accepted one (encrypted start),
                with messages for the user (the start-up backup).
            file_name: the database file, shown on the passphrase prompt.
            config_path: the config file the settings came from: its ``[keymap]`` lines are
                named in messages, and the theme chosen with ctrl+t is written back to it.
            connections: the open file when ``repos`` is ``None`` (``mentor-tui`` itself): the
                case list is shown on them, and :attr:`repos` and :attr:`casework` are built on
                first use, after the first screen (issue 12: sqlite-utils and pydantic are not
                loaded before it).
        """
        set_language(settings.language)
        super().__init__()
        self.settings = settings
        self.config_path = config_path
        """The config file the settings came from (the chosen theme is written back to it)."""
        self.clock = clock or (repos.clock if repos is not None else Clock())
        self.passphrase = passphrase
        self._opened = opened
        self._file_name = file_name
        self._repos: Repositories | None = None
        self._casework: CaseworkService | None = None
        self._connections = connections
        self._building = threading.Lock()
        self._session_due = False
        self._gc_paced = False
        self._gc_timer: Timer | None = None
        self.notices: list[Bilingual] = []
        self.start_work: Callable[[Repositories], list[Bilingual]] | None = None
        """Start-up work that can take seconds on a large file (the daily backup, counting who
        retention has due): run in a thread once the first screen is shown, its messages shown
        when it is done, so the case list never waits for it (issue 12)."""
        """Messages shown once the home screen is up (the start-up backup)."""
        if repos is not None:
            self._use(repos)
        self.last_activity: dt.datetime = self.clock.now()
        """When the user last pressed a key, clicked or scrolled (the app's clock)."""
        self.gc_pacer = GcPacer()
        """Collects garbage in the user's pauses, once the first screen is up (issue 12)."""
        self.crash_message: Bilingual | None = None
        """Set when an unexpected error closed the app: the short message ``__main__`` prints."""
        self._bad_theme = settings.theme not in self.available_themes
        self.theme = DEFAULT_THEME if self._bad_theme else settings.theme
        self.keymap_problems: list[KeymapProblem] = []
        """What is wrong with the config file's ``[keymap]`` (those remaps are not applied)."""
        self.keymap: dict[str, str] = {}
        """The remaps in force: binding id → keys."""
        if settings.keymap:
            self.keymap, self.keymap_problems = check_keymap(
                settings.keymap, path=config_path, app_class=type(self)
            )
            if self.keymap:
                self.set_keymap(self.keymap)

    def _use(self, repos: Repositories) -> None:
        self._repos = repos
        self._casework = None

    @property
    def repos(self) -> Repositories:
        """The database's repositories; built on first use when the app was started on plain
        connections (any thread may be first).

        Raises:
            AttributeError: the database is not open (encrypted, passphrase not given yet).
        """
        repos = self._repos
        if repos is not None:
            return repos
        with self._building:
            if self._repos is None:
                if self._connections is None:
                    raise AttributeError("repos: the database is not open")
                from mentor_tui.storage.database import ThreadLocalDatabase
                from mentor_tui.storage.repositories import Repositories

                self._repos = Repositories(ThreadLocalDatabase(self._connections), self.clock)
            return self._repos

    @property
    def casework(self) -> CaseworkService:
        """The casework service over :attr:`repos` (built on first use)."""
        casework = self._casework
        if casework is not None:
            return casework
        repos = self.repos
        with self._building:
            if self._casework is None:
                from mentor_tui.services.casework.service import CaseworkService

                self._casework = CaseworkService(repos, a3_max_age=self.settings.a3_max_age)
            return self._casework

    @property
    def database(self) -> HasConnection:
        """The open file, for the case list's reads (this thread's connection)."""
        if self._repos is None and self._connections is not None:
            return self._connections
        return self.repos.db

    def today(self) -> dt.date:
        """Today, by the repositories' clock (the case list's follow-ups are due by it)."""
        return (self._repos.clock if self._repos is not None else self.clock).today()

    @property
    def is_open(self) -> bool:
        """Whether the database is open (an encrypted one is not until its passphrase is given)."""
        return self._repos is not None or self._connections is not None

    def get_default_screen(self) -> Screen[None]:
        """The case list is the home screen (an empty screen while the passphrase is asked)."""
        if not self.is_open:
            return StartScreen()
        return MainScreen(self, self.settings)

    def on_mount(self) -> None:
        """Ask for the passphrase of an encrypted database; say so if the theme does not exist or
        the keymap has problems; remember the theme the user picks; start watching for idle time;
        name the user in the audit trail, and on a new database ask who they are first."""
        if self._bad_theme:
            self.notify(
                T("bad-theme", theme=self.settings.theme, default=DEFAULT_THEME),
                severity="warning",
            )
        if self.keymap_problems:
            self.notify(
                "\n".join(p.text(self.config_path) for p in self.keymap_problems),
                title=T("keymap-title"),
                severity="error",
                timeout=60,
                markup=False,
            )
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if not self.is_open:
            from mentor_tui.screens.lock import LockScreen

            self.push_screen(LockScreen(self.passphrase, file_name=self._file_name), self._unlocked_at_start)
        else:
            self._show_notices()
            self._start_session()
            self.set_timer(START_WORK_LATEST, self._after_first_screen)
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock, name="idle-lock")

    def _unlocked_at_start(self, ok: bool | None) -> None:
        if not ok or self._opened is None:
            self.exit(return_code=1)
            return
        repos, self.notices = self._opened()
        self._use(repos)
        self.last_activity = self.clock.now()
        self.push_screen(MainScreen(self, self.settings))
        self._show_notices()
        self._start_session()
        self.set_timer(START_WORK_LATEST, self._after_first_screen)

    def _start_session(self) -> None:
        if has_local_staff(self.database.conn):
            # a write waits for the start-up check of the file (seconds at 50,000 cases), and
            # recording it loads the repositories: in a thread once the case list is shown, so
            # the list shows at once (issue 12)
            self._session_due = True
            return
        from mentor_tui.screens.who_are_you import WhoAreYouScreen

        try:
            staff = self.casework.start_session()
        except MentorError as exc:  # the file is busy or read-only: the app still opens
            self.notify(exc.text(), severity="warning")
            staff = self.repos.local_staff()
        if staff is None:
            self.push_screen(WhoAreYouScreen(self.casework), self._introduced)

    def _record_session(self) -> None:
        try:
            casework = self.casework  # loads the repositories and models
            # and the case detail's code, so the first case opened does not wait for it
            importlib.import_module("mentor_tui.screens.case_detail")
            casework.start_session()
        except MentorError as exc:  # the file is busy or read-only: the app still opens
            self.call_from_thread(self.notify, exc.text(), severity="warning")
        except Exception as exc:  # logged, said briefly; the app keeps running
            self.call_from_thread(
                self.notify, report_unexpected(exc, where="session").text(), severity="error"
            )

    @on(Worker.StateChanged)
    def _session_recorded(self, event: Worker.StateChanged) -> None:
        """Once the start-up work has loaded the repositories and the case detail's code, compose
        the case screen ahead (:meth:`MainScreen.prepare_case`): the first Enter on a case then
        costs what every later one does (issue 12)."""
        if event.worker.name == "session" and event.state is WorkerState.SUCCESS:
            self._prepare_case_screen()

    def _prepare_case_screen(self) -> None:
        # in a pause of the user's (composing takes 10-20 ms a key would wait for)
        if self.gc_pacer.idle_for() < PREPARE_IDLE:
            self.set_timer(PREPARE_IDLE, self._prepare_case_screen, name="prepare case screen")
            return
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return
        try:
            main.prepare_case()
        except Exception as exc:  # only a head start: the first Enter composes it instead
            log_unexpected(exc, where="preparing the case screen")

    def _introduced(self, staff: Staff | None) -> None:
        if staff is not None:
            self.notify(T("welcome", initials=staff.initials))
            reload = getattr(self.screen, "reload", None)
            if callable(reload):
                reload()

    def _show_notices(self) -> None:
        for notice in self.notices:
            self.notify(notice.text(), timeout=4)
        self.notices = []

    @on(MainScreen.ListSettled)
    def _list_settled(self) -> None:
        self.call_after_refresh(self._after_first_screen)  # after the list is painted

    def _after_first_screen(self) -> None:
        """Name the user in the audit trail and start the start-up work, in threads (once).

        ``mentor-tui`` starts with the garbage collector off (``__main__._run_app``): from here
        on it runs in the user's pauses (:mod:`mentor_tui.gc_pacing`), with Python's automatic
        collection as a backstop. (Not ``gc.freeze()``: frozen objects are never collected, so
        widgets the start made and later replaced would stay in memory for good.)
        """
        if not self._gc_paced:
            self._gc_paced = True
            start_pacing()
            self._gc_timer = self.set_interval(CHECK_EVERY, self._pace_gc, name="gc-pacing")
        if self._session_due:
            self._session_due = False
            self.run_worker(self._record_session, thread=True, group="session", name="session")
        self._start_background_work()

    def _start_background_work(self) -> None:
        work, self.start_work = self.start_work, None
        if work is None:
            return

        def run() -> None:
            # on this thread's own connection (ThreadLocalDatabase); the messages go to the UI
            # thread. The repositories are taken here, not on the UI thread: the first use builds
            # them (sqlite-utils, pydantic), a third of a second the keyboard must not wait for
            try:
                notices = work(self.repos)
            except Exception as exc:  # never a crash for a backup or a count; logged, said briefly
                notices = [report_unexpected(exc, where="start-up work")]
            if notices:
                self.call_from_thread(self._notify_later, notices)

        self.run_worker(run, thread=True, group="start-work", name="start-up work")

    def _notify_later(self, notices: list[Bilingual]) -> None:
        self.notices = notices
        self._show_notices()

    # -- idle lock (issue 13 item 2) -------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """Whether the lock screen is up (after idle time, or at start of an encrypted database)."""
        lock = sys.modules.get("mentor_tui.screens.lock")
        if lock is None:  # never loaded (it loads on first use): no lock screen can be up
            return False
        return any(isinstance(screen, lock.LockScreen) for screen in self.screen_stack)

    async def on_event(self, event: events.Event) -> None:
        """Note the time of every key press, click, scroll and paste (the idle lock's measure)."""
        if isinstance(event, ACTIVITY_EVENTS):
            self.last_activity = self.clock.now()
            self.gc_pacer.input_seen()
            if self._gc_timer is not None:
                self._gc_timer.resume()
        await super().on_event(event)

    def _pace_gc(self) -> None:
        """Collect garbage if the user pauses; stop checking while the app rests."""
        self.gc_pacer.check()
        if self.gc_pacer.resting() and self._gc_timer is not None:
            self._gc_timer.pause()

    def check_idle_lock(self) -> None:
        """Lock when nobody has touched the keyboard or mouse for ``idle_lock_minutes``.

        Runs every :data:`IDLE_CHECK_SECONDS`; time is the app's clock, so tests move it instead
        of waiting.
        """
        if self.locked:
            return
        idle = self.clock.now() - self.last_activity
        if idle >= dt.timedelta(minutes=self.settings.idle_lock_minutes):
            self.lock()

    def lock(self) -> None:
        """Hide every record behind the lock screen now; what was on screen (even a half-filled
        form) is kept underneath and comes back on unlock."""
        if self.locked:
            return
        from mentor_tui.screens.lock import LockScreen

        self.clear_notifications()  # a toast may name a person
        self.push_screen(
            LockScreen(self.passphrase, idle_minutes=self.settings.idle_lock_minutes),
            self._unlocked,
        )

    def _unlocked(self, ok: bool | None) -> None:
        self.last_activity = self.clock.now()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While locked, no key may open a screen (help, palette, forms) over the lock screen."""
        if self.locked and action not in ALLOWED_WHILE_LOCKED:
            return False
        return super().check_action(action, parameters)

    def _remember_theme(self, theme: Theme) -> None:
        if self.config_path is None or theme.name == self.settings.theme:
            return
        try:
            remember_theme(self.config_path, theme.name)
        except MentorError as exc:
            self.notify(exc.text(), severity="warning")
            return
        self.settings = replace(self.settings, theme=theme.name)

    # -- Textual's own texts, in the UI language ---------------------------------------------------

    def get_key_display(self, binding: Binding) -> str:
        """Show a key as Textual does (``^s``, ``⏎``, ``?``), with key names in the UI language."""
        if binding.key_display:
            return binding.key_display
        return display_key(binding.key)

    def action_quit(self) -> None:  # type: ignore[override]  # Textual's is async; nothing here awaits
        """Quit; when a form has unsaved input, ask first (keep typing is the default)."""
        from mentor_tui.widgets.discard import DiscardScreen
        from mentor_tui.widgets.form_modal import FormModal

        unsaved = [s for s in self.screen_stack if isinstance(s, FormModal) and s.has_unsaved_input]
        if not unsaved:
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        if not isinstance(self.screen, DiscardScreen):
            self.push_screen(DiscardScreen(quitting=True), answered)

    def action_help_quit(self) -> None:
        """ctrl+c outside a text field: say which key quits, in the UI language."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(T("quit-hint", key=self.get_key_display(active.binding)), title=T("quit-title"))
                return

    # -- the one handler for errors nobody expected ------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Log an unexpected error and close the app with a short message, never a traceback.

        Textual calls this for any exception a handler, worker or screen lets through; its own
        version prints a traceback with local variables, which can show a resident's label and
        birth month. The details go to the log file instead (exception types and code locations,
        no data, see :mod:`mentor_tui.errorlog`); ``__main__`` prints :attr:`crash_message` once
        the terminal is restored. Saves are transactions, so nothing is left half-written.
        """
        original: BaseException = error.error if isinstance(error, WorkerFailed) else error
        if self.crash_message is None:
            self.crash_message = report_unexpected(original, where=f"screen {type(self.screen).__name__}")
        self._return_code = 1
        self._exception_event.set()  # a Pilot waiting for this screen stops waiting (no re-raise)
        self._close_messages_no_wait()

    # -- actions ---------------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the help for the current screen (F1 again closes it).

        A screen with its own ``action_help`` shows its own help; the others get the text of
        their ``HELP_TOPIC`` from :mod:`mentor_tui.screens.help`.
        """
        screen = self.screen
        from mentor_tui.screens.help import HelpScreen, topic_for

        if isinstance(screen, HelpScreen):
            screen.dismiss(None)
            return
        own_help = getattr(screen, "action_help", None)
        if callable(own_help):
            own_help()
            return
        self.push_screen(HelpScreen(topic_for(screen), self.key_moved, self.key_shown))

    def key_moved(self, binding_id: str) -> str | None:
        """How the key of ``binding_id`` is shown, when the keymap moved it (else None)."""
        keys = self.keymap.get(binding_id)
        return shown_keys(keys) if keys else None

    def key_shown(self, binding_id: str) -> str | None:
        """How the key of ``binding_id`` is shown now (remapped or as declared)."""
        keys = self.keymap.get(binding_id) or default_keys().get(binding_id)
        return shown_keys(keys) if keys else None

    def action_toggle_keys(self) -> None:
        """Show or hide the panel listing the keys of the current screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_undo(self) -> None:
        """Undo the last change of this session (ctrl+z); the undo is in the audit trail too."""
        try:
            change = self.casework.undo()
        except MentorError as exc:
            self.notify(exc.text(), severity="error")
            return
        if change is None:
            self.notify(T("nothing-to-undo"), severity="warning")
            return
        self.notify(T("undone", what=change.label.text()))
        reload = getattr(self.screen, "reload", None)
        if callable(reload):
            reload()

    def action_new_referral(self) -> None:
        """Register a new referral from anywhere."""
        open_new_referral(self, self.casework)

    def action_followups(self) -> None:
        """Open the follow-ups view from anywhere."""
        open_followups(self, self.casework)

    def action_dashboard(self) -> None:
        """Open the dashboard from anywhere."""
        open_dashboard(self, self.casework, self.settings)

    def action_export(self) -> None:
        """Open the export screen from anywhere."""
        open_export(self, self.casework, self.settings)

    # -- command palette -------------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Open the command palette (with the placeholder in the user's language)."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            from mentor_tui.widgets.palette import MentorPalette

            self.push_screen(MentorPalette(id="--command-palette", placeholder=T("search-commands")))

    def search_themes(self) -> None:
        """Pick a theme by fuzzy search (with the placeholder in the user's language)."""
        from mentor_tui.widgets.palette import MentorPalette

        self.push_screen(MentorPalette(providers=[ThemeProvider], placeholder=T("search-themes")))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Commands for the palette: the app's own, then those of the screen it was opened on."""
        if not isinstance(screen, ModalScreen):
            yield key_command("new-referral", self.action_new_referral)
            yield key_command("followups", self.action_followups)
            yield key_command("open-dashboard", self.action_dashboard)
            yield SystemCommand(T("cmd-export"), KEY_TEXTS["open-export"].help_text(), self.action_export)
        palette_commands = getattr(screen, "palette_commands", None)
        if callable(palette_commands):
            yield from palette_commands()
        yield key_command("help", self.action_help)
        keys = key_label("keys")
        if screen.query("HelpPanel"):
            yield SystemCommand(keys, T("cmd-keys-hide"), self.action_hide_help_panel)
        else:
            yield SystemCommand(keys, T("cmd-keys-show"), self.action_show_help_panel)
        if self.casework.undo_stack.last is not None:
            yield key_command("undo", self.action_undo, about=self.casework.undo_stack.last.label.text())
        yield key_command("theme", self.action_change_theme)
        yield key_command("quit", self.action_quit)
