"""Keys are handled one at a time, in the order they arrive: no keystroke is lost or reordered.

Why this is needed (found in tmux, issue 11): Textual hands a printable key straight to the
focused input, which inserts it at once, but a key such as Backspace, Home, an arrow, Enter or
Space is bound to an action, and Textual looks for a (non-priority) binding only after the key has
bubbled up through the message queue of every container around the focused widget and come back
to the app. In a burst (``a b d Backspace c`` sent by tmux, a text expander, a slow SSH link) the
``c`` is inserted while the Backspace is still on its way up, so the field ends as ``abd``; a
container busy with work triggered by typing (the duplicate search of the referral form) widens
the gap. The same route lets a Space meant for a checkbox be looked up after a Tab has already
moved the focus on, so it is dropped.

The fix, in two parts:

- :class:`OrderedKeysApp` (the app's base): before it takes the next key from the terminal, the
  app waits until the current screen has handled every message queued so far, including the
  previous key and everything that key set off (a field's ``Changed``, a picker moving focus on),
  and until its own queue is empty (Textual applies a focus change there, and mounts a new screen
  from there, so keys typed right after ``n`` land in the new form).
- :class:`DeferKeyBindings` (mixed into every screen of the app): a key that bubbles up to the
  screen unhandled is not sent on to the app's queue, where later keys are already waiting; the
  screen hands it to the app, which runs its binding before it takes the next key.

Priority bindings (Tab between form fields, ctrl+s, F1) are untouched: Textual runs them as the
key arrives, which is now also after the previous key is done.

A paste takes its place among the keys: Textual hands it to the focused widget at once, so a
paste right after a Tab landed in the field the Tab was leaving. It waits its turn in the same
queue, and :func:`paste_steps` makes it what typing it would have done in a one-line field: the
surrounding white space (a copied spreadsheet cell's line end) goes, the cells of a copied
spreadsheet row go into one field after another (a Tab between them, on a form), and text longer
than the field takes is cut to fit with a message instead of being refused without a word.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, TypeVar

from textual import events
from textual._dispatch_key import dispatch_key
from textual.app import App
from textual.message import Message
from textual.widgets import Input

from mentor_tui.i18n import Bilingual

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

ReturnType = TypeVar("ReturnType")

SETTLE_ROUNDS = 8
"""How many times to wait for the screen's queues before taking the next key anyway (a message
can set off another; eight rounds cover the deepest form with room to spare)."""

SETTLE_TIMEOUT = 1.0
"""Seconds to wait for one round before giving up on it (never reached in practice: a safety
valve, so a widget that never answers cannot stop the keyboard)."""


MAX_WAITS = 50
"""How many times a key waits behind the app's own queue (focus changes, a screen being mounted)
before it is routed anyway, so a queue that never empties cannot stop the keyboard."""


PASTE_CUT = Bilingual(
    "Den indsatte tekst var for lang til feltet; kun de første {n} tegn er sat ind.",
    "The pasted text was too long for the field; only the first {n} characters were pasted.",
)


PASTE_ROWS = Bilingual(
    "Den indsatte tekst havde {rows} rækker; kun den første er sat ind, én række pr. registrering.",
    "The pasted text had {rows} rows; only the first was pasted, one row per registration.",
)


def first_row(text: str) -> tuple[str, int]:
    """Return the first row of a pasted block of spreadsheet rows and how many rows it had.

    Only text with tab-separated cells counts as rows (issue 9 item 6: a pasted multi-cell row
    gets a message); lines of plain text are one text (a note), returned whole with count 1.
    """
    rows = [line for line in text.strip().splitlines() if line.strip()]
    if len(rows) > 1 and any("\t" in row for row in rows):
        return rows[0], len(rows)
    return text, 1


def paste_steps(text: str, *, across_fields: bool) -> list[events.Key | events.Paste]:
    """Return what pasting ``text`` into a one-line field does, as the keys and pastes that
    typing it would be: white space around it dropped, lines joined by a space, and, when
    ``across_fields`` (a form), each tab-separated cell pasted into the next field with a Tab
    before it. Empty cells still move on a field, so the cells keep their columns.
    """
    lines = [line.strip() for line in text.strip().splitlines()]
    joined = " ".join(line for line in lines if line)
    cells = [cell.strip() for cell in joined.split("\t")] if across_fields else [joined.replace("\t", " ")]
    steps: list[events.Key | events.Paste] = []
    for n, cell in enumerate(cells):
        if n:
            steps.append(events.Key("tab", None))
        if cell:
            steps.append(events.Paste(cell))
    return steps


class NextKeyStep(Message):
    """Ask the app to take the next step of the key order (see :class:`OrderedKeysApp`)."""


class OrderedKeysApp(App[ReturnType]):
    """An app that takes a key only after the previous one has been handled completely.

    Keys from the terminal are queued here instead of being routed at once. One step at a time,
    each on the app's own message queue and only when the screen has settled and the app has no
    other message waiting (a focus change, a screen being mounted): first the bindings of a key
    that reached a screen unhandled (:meth:`defer_key`), then the next key from the terminal,
    routed as Textual routes it (priority bindings, else to the focused widget).
    """

    def __init__(self) -> None:
        super().__init__()
        self._incoming_keys: deque[events.Key | events.Paste] = deque()
        self._ready_pastes: set[int] = set()
        """The ids of queued pastes already made into :func:`paste_steps`."""
        self._deferred_keys: deque[events.Key] = deque()
        self._key_step_posted = False
        self._key_waits = 0

    async def on_event(self, event: events.Event) -> None:
        """Queue a key or a paste from the terminal; every other event as Textual handles it."""
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            self._incoming_keys.append(event)
            if self._key_step_posted or self._deferred_keys or len(self._incoming_keys) > 1:
                self._post_key_step()
            else:
                await self._key_step()  # nothing waiting: take it now, as Textual would
            return
        await super().on_event(event)

    def defer_key(self, key: events.Key) -> None:
        """Run the bindings of ``key`` (which reached a screen unhandled) before the next key."""
        self._deferred_keys.append(key)
        self._post_key_step()

    @property
    def keys_pending(self) -> bool:
        """True while a key from the terminal has not been handled completely."""
        return bool(self._incoming_keys or self._deferred_keys or self._key_step_posted)

    def _post_key_step(self) -> None:
        if not self._key_step_posted:
            self._key_step_posted = True
            self.post_message(NextKeyStep())

    async def _on_next_key_step(self, message: NextKeyStep) -> None:
        message.stop()
        self._key_step_posted = False
        await self._key_step()

    async def _key_step(self) -> None:
        await self.settle_screen()
        if self.message_queue_size and self._key_waits < MAX_WAITS:
            # the app has its own work queued (a focus change, a screen mounting): after it
            self._key_waits += 1
            self._post_key_step()
            return
        self._key_waits = 0
        if self._deferred_keys:
            key = self._deferred_keys.popleft()
            # what App._on_key does with a key that bubbled back to it
            if not await self._check_bindings(key.key):
                await dispatch_key(self, key)
        elif self._incoming_keys:
            event = self._incoming_keys.popleft()
            if isinstance(event, events.Paste) and id(event) not in self._ready_pastes:
                self._expand_paste(event)
            else:
                if isinstance(event, events.Paste):
                    self._ready_pastes.discard(id(event))
                    self._fit_paste(event)
                await super().on_event(event)
        if self._incoming_keys or self._deferred_keys:
            self._post_key_step()

    def _expand_paste(self, paste: events.Paste) -> None:
        """Put the steps of ``paste`` (:func:`paste_steps`) at the head of the queue."""
        focused = self.focused
        if isinstance(focused, Input) and not focused.password:
            across = bool(getattr(self.screen, "PASTE_ACROSS_FIELDS", False))
            text, rows = first_row(paste.text) if across else (paste.text, 1)
            if rows > 1:
                self.notify(PASTE_ROWS.format(rows=rows).text(), severity="warning", timeout=8)
            steps = paste_steps(text, across_fields=across)
        else:  # a passphrase, a text area or the like takes the paste as it is
            steps = [paste]
        self._ready_pastes.update(id(step) for step in steps if isinstance(step, events.Paste))
        self._incoming_keys.extendleft(reversed(steps))

    def _fit_paste(self, paste: events.Paste) -> None:
        """Cut ``paste`` to what the focused field takes, and say so (Textual would drop it)."""
        focused = self.focused
        if not isinstance(focused, Input) or not focused.max_length:
            return
        selected = focused.selection.end - focused.selection.start
        room = focused.max_length - len(focused.value) + abs(selected)
        if len(paste.text) > room:
            paste.text = paste.text[: max(room, 0)]
            self.notify(PASTE_CUT.format(n=max(room, 0)).text(), severity="warning", timeout=6)

    async def settle_screen(self) -> None:
        """Return once the current screen and its widgets have handled the messages queued so far.

        Repeats while handling them queued more (a key sets off ``Changed``, which bubbles),
        at most :data:`SETTLE_ROUNDS` times.
        """
        for _ in range(SETTLE_ROUNDS):
            try:
                screen = self.screen
            except Exception:  # no screen yet, or the app is closing
                return
            busy: list[MessagePump] = [
                node for node in screen.walk_children(with_self=True) if node.message_queue_size
            ]
            if not busy:
                return
            done: list[asyncio.Event] = []
            for node in busy:
                flag = asyncio.Event()
                if node.call_later(flag.set):
                    done.append(flag)
            if not done:
                return
            waits = [asyncio.ensure_future(flag.wait()) for flag in done]
            _, pending = await asyncio.wait(waits, timeout=SETTLE_TIMEOUT)
            for task in pending:
                task.cancel()
            if pending:
                return


class DeferKeyBindings:
    """Mixed into a screen: a key reaching the screen unhandled goes to the app's key order.

    See the module documentation. Only for screens of an :class:`OrderedKeysApp`; on another app
    the key goes on to the app as Textual does it.
    """

    async def _on_key(self, event: events.Key) -> None:
        app = getattr(self, "app", None)
        if not isinstance(app, OrderedKeysApp):
            return
        # the screen's own key_<name> methods first, as Widget._on_key does; like Textual, the
        # key goes on to the app's bindings whether or not one of them ran
        await dispatch_key(self, event)  # type: ignore[arg-type]
        event.prevent_default()
        event.stop()
        app.defer_key(event)
