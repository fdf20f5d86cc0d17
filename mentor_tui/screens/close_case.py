"""Close a case: reason, status at closure, joint decision, date; then confirm.

The activity's rules decide which fields are required (A6-A8: status and joint decision; A3:
joint decision) and those are marked with ``*``. ctrl+s checks the fields and asks for
confirmation; Enter (or ctrl+s again) closes the case, Escape goes back to the fields.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Input, Static

from mentor_tui.codes import CaseStatus, ClosureReason, StatusAtClosure
from mentor_tui.dates import format_date
from mentor_tui.errors import Problem
from mentor_tui.i18n import Bilingual, Catalog, lang
from mentor_tui.models import Closure
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.bindings import binding
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
from mentor_tui.widgets.field_message import FieldMessage
from mentor_tui.widgets.form_modal import CaseFormModal

T = Catalog(
    {
        "title": ("Afslut forløb: {label}", "Close case: {label}"),
        "edit_title": ("Ret afslutning: {label}", "Correct closure: {label}"),
        "subtitle": ("{activity} · {status}", "{activity} · {status}"),
        "reason": ("Afslutningsårsag", "Closure reason"),
        "status_at_closure": ("Status ved afslutning", "Status at closure"),
        "joint_decision": ("Fælles beslutning", "Joint decision"),
        "joint_box": (
            "Afsluttes efter fælles beslutning med beboeren",
            "Closed by joint decision with the resident",
        ),
        "date": ("Afslutningsdato", "Closure date"),
        "rule_both": (
            "{activity}: status ved afslutning og fælles beslutning skal udfyldes (planens regel)",
            "{activity}: status at closure and a joint decision are required (the plan's rule)",
        ),
        "rule_joint": (
            "{activity}: afsluttes kun efter fælles beslutning (planens regel)",
            "{activity}: closed only by joint decision (the plan's rule)",
        ),
        "no_match": ("Ingen værdi passer til «{text}»", "Nothing matches “{text}”"),
        "confirm": (
            "Afslut forløbet for {label} pr. {date}?\nÅrsag: {reason}{status}{joint}\n"
            "Enter: afslut · Esc: tilbage til felterne",
            "Close the case of {label} on {date}?\nReason: {reason}{status}{joint}\n"
            "Enter: close · Esc: back to the fields",
        ),
        "confirm_status": ("; status: {status}", "; status: {status}"),
        "confirm_joint": ("; fælles beslutning", "; joint decision"),
        "confirm_button": ("Afslut forløbet", "Close the case"),
    }
)


class CloseCaseScreen(CaseFormModal):
    """Close a case: reason, status at closure, joint decision, confirm. Dismisses True when saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # a key has one list of bindings per class: the form's own are repeated here, and
        # check_action shows the pair that applies (fields or confirmation)
        binding("escape", "cancel", id="form-cancel"),
        binding("escape", "back_to_fields", id="confirm-back"),
        binding("ctrl+s", "save", id="form-save", priority=True),
        binding("ctrl+s", "confirm_close", id="confirm-close", priority=True),
    ]

    def __init__(self, casework: CaseworkService, case_id: str, closure: Closure | None = None) -> None:
        super().__init__(casework, case_id)
        self.rules = casework.closure_requirements(self.detail.case.activity)
        self.closure = closure
        """The closure being corrected (saved without the confirmation step); ``None`` to close."""
        self.confirming = False
        """True while the confirmation step is shown."""

    def compose(self) -> ComposeResult:
        today = self.casework.today
        case = self.detail.case
        activity = case.activity
        name = f"{activity.short} {activity.label(lang())}"
        c = self.closure
        with Vertical(id="dialog"):
            title = "edit_title" if c is not None else "title"
            yield Static(T(title, label=self.detail.person.display_label), id="dialog-title")
            yield Static(T("subtitle", activity=name, status=case.status.label(lang())), id="dialog-subtitle")
            if self.rules.closure_needs_status:
                yield Static(T("rule_both", activity=name), classes="rule-note", id="closure-rule")
            elif self.rules.closure_needs_joint_decision:
                yield Static(T("rule_joint", activity=name), classes="rule-note", id="closure-rule")
            yield FieldMessage("form")
            with VerticalScroll(id="fields"):
                yield self.field(
                    T("reason"),
                    CodePicker(list(ClosureReason), value=c.reason if c else None, id="reason"),
                    "reason",
                    required=True,
                )
                yield self.field(
                    T("status_at_closure"),
                    CodePicker(
                        list(StatusAtClosure),
                        value=c.status_at_closure if c else None,
                        id="status_at_closure",
                    ),
                    "status_at_closure",
                    required=self.rules.closure_needs_status,
                )
                yield self.field(
                    T("joint_decision"),
                    Checkbox(
                        T("joint_box"),
                        value=c.joint_decision if c else False,
                        compact=True,
                        id="joint_decision",
                    ),
                    "joint_decision",
                    required=self.rules.closure_needs_joint_decision,
                )
                yield self.field(
                    T("date"),
                    DateInput(c.date if c else today, today=today, id="date"),
                    "date",
                    required=True,
                )
            with Vertical(id="confirm"):
                yield Static("", id="confirm-text")
                yield Button(T("confirm_button"), variant="error", compact=True, id="confirm-button")
        yield Footer()

    DEFAULT_CSS = """
    CloseCaseScreen #confirm { height: auto; display: none; padding: 1 0 0 0; }
    CloseCaseScreen #confirm-text { text-style: bold; }
    CloseCaseScreen.-confirming #confirm { display: block; }
    CloseCaseScreen #closure-rule { color: $text-warning; }
    """

    def on_mount(self) -> None:
        """Focus the reason."""
        self._picker("reason").input.focus()

    def _picker(self, name: str) -> CodePicker[Any]:
        return self.query_one(f"#{name}", CodePicker)

    @property
    def date(self) -> DateInput:
        """The closure date field."""
        return self.query_one("#date", DateInput)

    @property
    def joint(self) -> bool:
        """Whether the joint-decision box is ticked."""
        return self.query_one("#joint_decision", Checkbox).value

    def local_problems(self) -> list[Problem]:
        problems = self.date.problems("date")
        for name in ("reason", "status_at_closure"):
            picker = self._picker(name)
            if picker.unmatched:
                problems.append(
                    Problem(name, T.bilingual("no_match", text=picker.text.strip()), code="no_match")
                )
        return problems

    def _all_problems(self) -> list[Problem]:
        """What would stop the closure: the typed input and the activity's closure rules."""
        local = self.local_problems()
        lines = {p.field for p in local}
        case = self.detail.case
        problems = list(local)
        if case.status is CaseStatus.AFSLUTTET and self.closure is None:
            problems.append(
                Problem(
                    "status",
                    Bilingual("Forløbet er allerede afsluttet", "The case is already closed"),
                    "closed",
                )
            )
        problems += [
            p
            for p in rules.closure_problems(
                case.activity,
                reason=self._picker("reason").value,
                status_at_closure=self._picker("status_at_closure").value,
                joint_decision=self.joint,
                closure_date=self.date.value,
                start_date=case.start_date,
                today=self.casework.today,
                dates=None if self.closure is not None else self.casework.case_dates(self.detail),
            )
            if p.field not in lines
        ]
        return problems

    @on(CodePicker.Changed)
    def _picked(self, event: CodePicker.Changed) -> None:
        self.revalidate(event.picker.id)

    @on(Input.Changed, "#date-input")
    def _date_typed(self) -> None:
        self.revalidate("date")

    @on(Checkbox.Changed, "#joint_decision")
    def _joint_changed(self) -> None:
        self.revalidate("joint_decision")

    def _set_confirming(self, confirming: bool) -> None:
        self.confirming = confirming
        self.set_class(confirming, "-confirming")
        self.query_one("#fields").disabled = confirming
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape and ctrl+s cancel and save on the fields, go back and confirm in the confirmation."""
        if action in ("cancel", "save"):
            return not self.confirming
        if action in ("back_to_fields", "confirm_close"):
            return self.confirming
        return True

    def action_save(self) -> None:
        """Check the fields and ask for confirmation (a correction is saved at once)."""
        if self.closure is not None:
            self._close()
            return
        problems = self._all_problems()
        if problems:
            self.errors = problems
            self.show_problems(problems)
            self.focus_first_error()
            return
        self.show_problems([])
        reason = self._picker("reason").value
        status = self._picker("status_at_closure").value
        self.query_one("#confirm-text", Static).update(
            T(
                "confirm",
                label=self.detail.person.display_label,
                date=format_date(self.date.value),
                reason=reason.label(lang()) if reason else "",
                status=T("confirm_status", status=status.label(lang())) if status else "",
                joint=T("confirm_joint") if self.joint else "",
            )
        )
        self._set_confirming(True)
        self.query_one("#confirm-button", Button).focus()

    @on(Button.Pressed, "#confirm-button")
    def _confirmed(self) -> None:
        self._close()

    def _close(self) -> None:
        reason = self._picker("reason")
        status = self._picker("status_at_closure")
        fields: dict[str, Any] = {
            "date": self.date.for_service(),
            "reason": reason.value if reason.value is not None else reason.text.strip() or None,
            "status_at_closure": status.value if status.value is not None else status.text.strip() or None,
            "joint_decision": self.joint,
        }
        closure = self.closure
        if closure is not None:
            saved: object = self.attempt(lambda: self.casework.corrections.edit_closure(closure.id, **fields))
        else:
            saved = self.attempt(lambda: self.casework.close_case(self.case_id, **fields))
        if saved is None:
            self._set_confirming(False)
            self.focus_first_error()
            return
        self.dismiss(True)

    def action_confirm_close(self) -> None:
        """In the confirmation: close the case."""
        self._close()

    def action_back_to_fields(self) -> None:
        """In the confirmation: back to the fields, nothing saved."""
        self._set_confirming(False)
        self._picker("reason").input.focus()

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)
