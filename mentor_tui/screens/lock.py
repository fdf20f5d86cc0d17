"""The lock screen: hides every record after idle time, and asks for the passphrase of an
encrypted database at start (issue 13 items 1 and 2; DOMAIN.md 5.3 item 4).

Without encryption any key (or click) brings the screen back. With encryption the passphrase is
asked again; it is typed into a password field (never echoed), handed to the check and dropped.
Wrong passphrases slow down (:class:`~mentor_tui.services.security.passphrase.PassphraseAttempts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from mentor_tui.errors import MentorError
from mentor_tui.i18n import Catalog, Lang, lang
from mentor_tui.services.security.passphrase import PassphraseAttempts
from mentor_tui.widgets.bindings import MentorScreen

T = Catalog(
    {
        "locked": ("mentor-tui er låst", "mentor-tui is locked"),
        "locked-why": (
            "Skærmen blev låst efter {minutes} minutter uden aktivitet. Intet er gået tabt.",
            "The screen was locked after {minutes} minutes without activity. Nothing was lost.",
        ),
        "locked-why-one": (
            "Skærmen blev låst efter 1 minut uden aktivitet. Intet er gået tabt.",
            "The screen was locked after 1 minute without activity. Nothing was lost.",
        ),
        "press-key": ("Tryk på en tast for at fortsætte.", "Press any key to continue."),
        "starting": ("Databasen er krypteret", "The database is encrypted"),
        "file": ("Fil: {path}", "File: {path}"),
        "ask": ("Skriv adgangsfrasen og tryk Enter.", "Type the passphrase and press Enter."),
        "placeholder": ("adgangsfrase", "passphrase"),
        "checking": ("Kontrollerer…", "Checking…"),
        "waiting": (
            "Kontrollerer… (venter {seconds:g} s efter forkerte forsøg)",
            "Checking… (waiting {seconds:g} s after wrong attempts)",
        ),
        "wrong": (
            "Forkert adgangsfrase. Prøv igen. En glemt adgangsfrase kan ikke gendannes.",
            "Wrong passphrase. Try again. A forgotten passphrase cannot be recovered.",
        ),
        "quit-hint": ("Ctrl+Q lukker programmet.", "Ctrl+Q quits."),
    }
)


class LockScreen(MentorScreen[bool]):
    """A screen with no records on it. Dismisses ``True`` when the user is back.

    Args:
        attempts: checks a passphrase (encrypted database), or ``None``: any key unlocks.
        idle_minutes: shown in the message after an idle lock; ``None`` at start.
        file_name: the database file, shown at start so the user knows which one is asked for.
    """

    DEFAULT_CSS = """
    LockScreen {
        align: center middle;
        background: $background;
        & > #lock-box {
            width: 64;
            max-width: 100%;
            height: auto;
            border: round $primary;
            padding: 1 2;
        }
        & #lock-title { text-style: bold; color: $text-primary; }
        & #lock-message { color: $text-error; height: auto; }
        & #lock-message.-busy { color: $text-muted; }
        & .lock--hint { color: $text-muted; }
        & #passphrase { margin: 1 0 0 0; }
    }
    """

    @dataclass
    class Checked(Message):
        """A passphrase attempt finished (posted from the checking thread)."""

        ok: bool
        error: str = ""
        """A message for the user when the file could not be opened for another reason."""

    def __init__(
        self,
        attempts: PassphraseAttempts | None,
        *,
        idle_minutes: int | None = None,
        file_name: str = "",
    ) -> None:
        super().__init__(id="lock-screen")
        self.attempts = attempts
        self.idle_minutes = idle_minutes
        self.file_name = file_name

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            if self.idle_minutes is None:
                yield Static(T("starting"), id="lock-title")
                if self.file_name:
                    yield Static(T("file", path=self.file_name), classes="lock--hint")
            else:
                yield Static(T("locked"), id="lock-title")
                yield Static(
                    T("locked-why-one" if self.idle_minutes == 1 else "locked-why", minutes=self.idle_minutes)
                )
            if self.attempts is None:
                yield Static(T("press-key"), classes="lock--hint")
            else:
                yield Static(T("ask"), classes="lock--hint")
                yield Input(password=True, placeholder=T("placeholder"), compact=True, id="passphrase")
                yield Static("", id="lock-message")
            yield Static(T("quit-hint"), classes="lock--hint")

    def on_mount(self) -> None:
        """Put the cursor in the passphrase field."""
        if self.attempts is not None:
            self.query_one("#passphrase", Input).focus()

    # -- without encryption: any key or click ------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Any key unlocks when no passphrase is needed; the key does nothing else."""
        if self.attempts is None:
            event.stop()
            event.prevent_default()
            self.dismiss(True)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click unlocks when no passphrase is needed."""
        if self.attempts is None:
            event.stop()
            self.dismiss(True)

    # -- with encryption: the passphrase -----------------------------------------------------------

    @property
    def message(self) -> Static:
        """The line under the passphrase field."""
        return self.query_one("#lock-message", Static)

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        assert self.attempts is not None
        field = event.input
        passphrase = field.value
        field.value = ""  # the field never keeps it
        if not passphrase:
            return
        field.disabled = True
        delay = self.attempts.next_delay
        self.message.update(T("waiting", seconds=delay) if delay else T("checking"))
        self.message.add_class("-busy")
        self._check(passphrase, lang())

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def _check(self, passphrase: str, language: Lang) -> None:
        assert self.attempts is not None
        try:
            self.post_message(self.Checked(self.attempts.attempt(passphrase)))
        except MentorError as exc:
            self.post_message(self.Checked(False, exc.text(language)))

    def on_lock_screen_checked(self, event: LockScreen.Checked) -> None:
        """Unlock on the right passphrase; otherwise say so and ask again."""
        if event.ok:
            self.dismiss(True)
            return
        field = self.query_one("#passphrase", Input)
        field.disabled = False
        field.focus()
        self.message.remove_class("-busy")
        self.message.update(event.error or T("wrong"))
