"""The shared frame of the casework forms: a centred dialog, Escape cancels (asking first when
something is typed, :mod:`mentor_tui.widgets.discard`), ctrl+s saves and says so briefly.

Forms lay out one row per field (label, input) with a :class:`FieldMessage` under it, and show a
service's :class:`~mentor_tui.errors.Problem` list beside the fields they name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, SelectionList, Static

from mentor_tui.errorlog import report_unexpected
from mentor_tui.errors import DomainValidationError, MentorError, Problem, required
from mentor_tui.i18n import Bilingual, Catalog, lang
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.bindings import MentorModal, binding
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.discard import DISCARDED, DiscardScreen, Draft, DraftKey, drafts
from mentor_tui.widgets.discard import OFFER as DRAFT_OFFER
from mentor_tui.widgets.field_message import FieldMessage
from mentor_tui.widgets.key_footer import KeyFooter
from mentor_tui.widgets.multi_picker import CodeMultiPicker

R = TypeVar("R")
V = TypeVar("V")

T = Catalog(
    {
        "required": ("* skal udfyldes", "* required"),
    }
)


class FormModal(MentorModal[R]):
    """Base class of the casework dialogs."""

    DEFAULT_CSS = """
    FormModal {
        align: center middle;
        background: $background 60%;
        & > #dialog {
            width: 100;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        & #dialog-title { text-style: bold; color: $text-primary; width: 1fr; }
        & #dialog-subtitle { color: $text-muted; width: 1fr; }
        & #form-msg { margin: 0; }
        & #fields { height: auto; max-height: 100%; }
        & .form--field { height: auto; }
        & #fields Vertical { height: auto; }
        & .form--field > FieldMessage { padding-left: 24; }
        & .form--row { height: auto; }
        & .form--label { width: 24; color: $text-muted; }
        & .form--label.-required { color: $text; }
        & .form--row.-focused > .form--label { color: $text-accent; text-style: bold; }
        & .form--note { color: $text-muted; padding-left: 24; }
        & Checkbox { border: none; padding: 0; height: 1; background: $surface; }
        & Checkbox:focus { background: $primary 25%; }
        & SelectionList { height: auto; max-height: 5; border: none; padding: 0; background: $boost; }
        & SelectionList:focus { background: $primary 15%; border: none; }
        & OptionList { height: auto; max-height: 5; border: none; padding: 0; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        binding("escape", "leave", id="form-cancel"),
        binding("ctrl+s", "save", id="form-save", priority=True),
        # Priority bindings run as the key arrives, before the next key is routed; a plain Tab
        # is handled later in the focused field's queue, so keys typed right after it (fast
        # typing, a paste, a burst from a terminal) would still land in the old field.
        binding("tab", "app.focus_next", id="form-next-field", show=False, priority=True),
        binding("shift+tab", "app.focus_previous", id="form-previous-field", show=False, priority=True),
        binding("ctrl+g", "bring_back", id="form-bring-back"),
    ]

    FIELD_ALIASES: ClassVar[dict[str, str]] = {}
    """Problem fields shown at another field's message line (``birth_month`` → ``birth_ym``)."""

    PASTE_ACROSS_FIELDS: ClassVar[bool] = True
    """A pasted spreadsheet row fills one field after another (:func:`keystrokes.paste_steps`)."""

    SAVED: ClassVar[Bilingual | None] = None
    """The short confirmation shown after a save (``{label}``: the person); None shows nothing."""

    CORRECTED: ClassVar[Bilingual] = Bilingual("Rettelse gemt: {label}", "Correction saved: {label}")
    """The confirmation instead of :attr:`SAVED` when the form corrected a record (issue 9)."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[Problem] = []
        """The problems of the last refused save that the user has not touched since."""
        self._initial: dict[str, Any] | None = None

    # -- unsaved input: ask before discarding it, keep it to bring back ------------------------

    @property
    def corrects(self) -> str | None:
        """The id of the record this form corrects (issue 9); ``None`` when it registers a new one."""
        return None

    @property
    def draft_key(self) -> DraftKey:
        """Which discarded form this one can bring back: the same form, for the same case (and
        the same record, when correcting one: a discarded correction never fills in a new record)."""
        return (type(self).__qualname__, str(getattr(self, "case_id", None) or ""), self.corrects or "")

    def field_values(self) -> dict[str, Any]:
        """What is typed and chosen in the fields, by widget id."""
        values: dict[str, Any] = {}
        for widget in self.query("#fields *"):
            if not widget.id:
                continue
            if isinstance(widget, CodeMultiPicker):
                values[widget.id] = list(widget.values)
            elif isinstance(widget, Input | Checkbox):
                values[widget.id] = widget.value
            elif isinstance(widget, SelectionList):
                values[widget.id] = list(widget.selected)
        return values

    def restore_values(self, values: dict[str, Any]) -> None:
        """Put ``values`` (from :meth:`field_values`) back into the fields."""
        for widget_id, value in values.items():
            try:
                widget = self.query_one(f"#{widget_id}")
            except NoMatches:
                continue
            if widget.disabled:
                widget.disabled = False
            if isinstance(widget, CodeMultiPicker):
                widget.set_values(value)
            elif isinstance(widget, Input | Checkbox):
                widget.value = value
            elif isinstance(widget, SelectionList):
                widget.deselect_all()
                for item in value:
                    widget.select(item)

    @property
    def has_unsaved_input(self) -> bool:
        """True when a field differs from what the form opened with."""
        return self._initial is not None and self.field_values() != self._initial

    def _remember_opening_values(self) -> None:
        if self._initial is None:
            self._initial = self.field_values()
            draft = drafts(self.app).get(self.draft_key)
            if draft is not None:
                note = Static(
                    DRAFT_OFFER.format(time=draft.at.strftime("%H:%M")).text(), id="draft-note", markup=False
                )
                with suppress(NoMatches):
                    self.query_one("#fields").mount(note, before=0)

    def action_leave(self) -> None:
        """Escape: close the form; when something is typed, ask first (keep typing is the default)."""
        if not self.has_unsaved_input:
            self.action_cancel()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.discard()

        self.app.push_screen(DiscardScreen(), answered)

    def discard(self) -> None:
        """Close without saving, keeping what was typed to bring back (this session)."""
        drafts(self.app)[self.draft_key] = Draft(self.field_values())
        self.app.notify(DISCARDED.text(), timeout=8)
        self.action_cancel()

    def action_bring_back(self) -> None:
        """ctrl+g: fill in what was typed when this form was last discarded."""
        draft = drafts(self.app).pop(self.draft_key, None)
        if draft is None:
            return
        self.restore_values(draft.values)
        for note in self.query("#draft-note"):
            note.remove()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+g only when there is a discarded form to bring back."""
        if action == "bring_back":
            return self.draft_key in drafts(self.app)
        return True

    def dismiss(self, result: R | None = None) -> AwaitComplete:
        """Close the form; after a save (a result that is not None or False) confirm it briefly."""
        if result is not None and result is not False:
            drafts(self.app).pop(self.draft_key, None)
            message = self.CORRECTED if self.corrects is not None else self.SAVED
            if message is not None:
                self.app.notify(message.format(label=self.saved_label()).text(), timeout=4)
        return super().dismiss(result)

    def saved_label(self) -> str:
        """Who the saved form was about (for :attr:`SAVED`)."""
        detail = getattr(self, "detail", None)
        person = getattr(detail, "person", None)
        return str(getattr(person, "display_label", ""))

    # -- the frame: title, subtitle, message line, fields, footer -------------------------------

    def compose(self) -> ComposeResult:
        """The dialog: :meth:`heading`, :meth:`subheading`, :meth:`compose_intro`, the form's
        message line, the fields of :meth:`compose_fields` (scrolling when the terminal is small),
        :meth:`compose_below` and the footer."""
        with Vertical(id="dialog"):
            yield Static(self.heading(), id="dialog-title")
            subheading = self.subheading()
            if subheading is not None:
                yield Static(subheading, id="dialog-subtitle")
            yield from self.compose_intro()
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield from self.compose_fields()
            yield from self.compose_below()
        yield KeyFooter()

    def heading(self) -> str:
        """The dialog's title."""
        raise NotImplementedError

    def subheading(self) -> str | None:
        """The line under the title, if any."""
        return None

    def compose_intro(self) -> ComposeResult:
        """What goes between the subtitle and the fields (a rule that applies); nothing by default."""
        yield from ()

    def compose_fields(self) -> ComposeResult:
        """The rows of the form (:meth:`field`), top to bottom."""
        raise NotImplementedError

    def compose_below(self) -> ComposeResult:
        """What goes under the fields (a confirmation, say); nothing by default."""
        yield from ()

    def on_mount(self) -> None:
        """Start in the first field."""
        for widget in self.query_one("#fields").query("*"):
            if widget.focusable and widget.display:
                widget.focus()
                return

    def date_input(self, name: str) -> DateInput:
        """The date field ``name``."""
        return self.query_one(f"#{name}", DateInput)

    def picker(self, name: str) -> CodePicker[Any]:
        """The code field ``name``."""
        return self.query_one(f"#{name}", CodePicker)

    # -- layout helpers ------------------------------------------------------------------------

    @staticmethod
    def field(label: str, widget: Widget, name: str, *, required: bool = False) -> Vertical:
        """Return a form row: ``label`` and ``widget`` side by side, the message line of ``name`` under."""
        text = f"{label} *" if required else label
        if required:
            widget.add_class("-required")
        classes = "form--label -required" if required else "form--label"
        return Vertical(
            Horizontal(Static(text, classes=classes), widget, classes="form--row"),
            FieldMessage(name),
            classes="form--field",
            id=f"{name}-field",
        )

    def on_descendant_focus(self) -> None:
        """Highlight the label of the row that has focus (and, at the first focus, note what
        the form opened with, to tell unsaved input later)."""
        self._remember_opening_values()
        focused = self.focused
        for row in self.query(".form--row"):
            row.set_class(focused is not None and focused in row.query("*"), "-focused")

    # -- messages ------------------------------------------------------------------------------

    def message_line(self, name: str) -> FieldMessage:
        """Return the message line of field ``name`` (or the form's general line)."""
        target = self.FIELD_ALIASES.get(name, name)
        try:
            return self.query_one(f"#{target}-msg", FieldMessage)
        except NoMatches:
            return self.query_one("#form-msg", FieldMessage)

    def show_problems(self, errors: Iterable[Problem], warnings: Iterable[Problem] = ()) -> None:
        """Clear every message line, then show ``errors`` and ``warnings`` beside their fields."""
        by_line: dict[str, tuple[list[Problem], list[Problem]]] = {}
        for line in self.query(FieldMessage):
            by_line[line.field] = ([], [])
        for problem in errors:
            by_line[self.message_line(problem.field).field][0].append(problem)
        for problem in warnings:
            by_line[self.message_line(problem.field).field][1].append(problem)
        for line in self.query(FieldMessage):
            line.show(*by_line[line.field])

    def focus_first_error(self) -> None:
        """Move focus to the first field that has an error."""
        for line in self.query(FieldMessage):
            if line.errors and line.parent is not None:
                for widget in line.parent.query("*"):
                    if widget.focusable:
                        widget.focus()
                        return

    # -- validation ----------------------------------------------------------------------------

    def local_problems(self) -> list[Problem]:
        """Return what is wrong with the typed input before any service sees it.

        By default: each date field that holds no date, each code field whose text matches
        nothing. A form adds its own checks.
        """
        problems: list[Problem] = []
        for date in self.query(DateInput):
            problems += date.problems(date.id or "")
        for picker in self.query(CodePicker):
            problems += picker.problems(picker.id or "")
        return problems

    def missing_problems(self) -> list[Problem]:
        """Return "is required" for each empty required code field (checked on save only)."""
        problems = []
        for picker in self.query(CodePicker):
            if (
                picker.has_class("-required")
                and picker.id
                and not picker.disabled
                and not picker.text.strip()
            ):
                problems.append(required(picker.id))
        return problems

    def warnings(self) -> list[Problem]:
        """Return warnings to show (they never block saving)."""
        return []

    def _line(self, problem: Problem) -> str:
        return self.message_line(problem.field).field

    def revalidate(self, changed: str | None = None) -> None:
        """Show the current problems; the refused-save errors of field ``changed`` are dropped."""
        if changed is not None:
            line = self.message_line(changed).field
            self.errors = [p for p in self.errors if self._line(p) != line]
        local = self.local_problems()
        lines = {self._line(p) for p in local}
        self.show_problems([p for p in self.errors if self._line(p) not in lines] + local, self.warnings())

    def field_changed(self, name: str) -> None:
        """Field ``name`` was changed by the user: show what is wrong now.

        The one place a form reacts to typing, picking and ticking (a form may add more).
        """
        self.revalidate(name)

    @on(Input.Changed)
    @on(CodePicker.Changed)
    @on(CodeMultiPicker.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self, event: Message) -> None:
        control = getattr(event, "control", None)
        row = (
            next((n for n in control.ancestors_with_self if n.has_class("form--field")), None)
            if control
            else None
        )
        if row is not None and row.id:
            self.field_changed(row.id.removesuffix("-field"))

    @on(Input.Blurred)
    def _field_left(self) -> None:
        # problems held back while typing (a half-typed date) show once the field is left
        self.revalidate()

    def attempt(self, save: Callable[[], V]) -> V | None:
        """Run ``save``; when it fails, show why and return None. The form stays open with what
        was typed.

        Our own message about a field wins over the service's message about the same field. A
        database that stays busy, a full disk or a read-only file (a :class:`MentorError`) is
        shown on the form's message line; an unexpected error is logged (no resident data) and
        shown the same way. Saves are transactions: nothing was written.
        """
        local = self.local_problems() + self.missing_problems()
        try:
            return save()
        except DomainValidationError as exc:
            lines = {self._line(p) for p in local}
            self.errors = local + [p for p in exc.problems if self._line(p) not in lines]
            self.show_problems(self.errors, self.warnings())
            self.focus_first_error()
            return None
        except MentorError as exc:
            self._show_save_failure(exc.message, "not_saved")
            return None
        except Exception as exc:
            self._show_save_failure(report_unexpected(exc, where=f"form {type(self).__name__}"), "unexpected")
            return None

    def _show_save_failure(self, message: Bilingual, code: str) -> None:
        self.errors = [Problem("", message, code)]
        self.show_problems(self.errors, self.warnings())

    def action_cancel(self) -> None:
        """Close without saving."""
        raise NotImplementedError

    def action_save(self) -> None:
        """Validate and save."""
        raise NotImplementedError


class CaseFormModal(FormModal[bool]):
    """A form about one case (start, meeting, outcome, follow-up, close, reopen).

    Dismisses True when something was saved.
    """

    def __init__(self, casework: CaseworkService, case_id: str) -> None:
        super().__init__()
        self.casework = casework
        self.case_id = case_id
        self.detail = casework.detail(case_id)
        """The case with its person and history, as it was when the form opened."""

    @property
    def label(self) -> str:
        """The person's label, for the title."""
        return self.detail.person.display_label

    @property
    def activity_name(self) -> str:
        """The case's activity as the forms name it: ``A6 Fremskudt ...``."""
        activity = self.detail.case.activity
        return f"{activity.short} {activity.label(lang())}"

    def subheading(self) -> str | None:
        """The case's activity."""
        return self.activity_name

    def save(self) -> object:
        """Ask the service to save what the form holds; it raises when it refuses."""
        raise NotImplementedError

    def action_save(self) -> None:
        """Save; on refusal show each problem beside its field, else close the form."""
        if self.attempt(self.save) is not None:
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)
