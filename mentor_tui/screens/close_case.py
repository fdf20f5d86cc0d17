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
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Static

from mentor_tui.codes import ClosureReason, StatusAtClosure
from mentor_tui.dates import format_date
from mentor_tui.errors import Problem
from mentor_tui.i18n import Bilingual, Catalog, lang
from mentor_tui.models import Closure
from mentor_tui.services.casework import rules
from mentor_tui.services.casework.service import CaseworkService
from mentor_tui.widgets.bindings import binding
from mentor_tui.widgets.code_picker import CodePicker
from mentor_tui.widgets.date_input import DateInput
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

    SAVED = Bilingual("Forløbet er afsluttet: {label}", "Case closed: {label}")

    BINDINGS: ClassVar[list[BindingType]] = [
        # a key has one list of bindings per class: the form's own are repeated here, and
        # check_action shows the pair that applies (fields or confirmation)
        binding("escape", "leave", id="form-cancel"),
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

    @property
    def corrects(self) -> str | None:
        """The closure being corrected, if any."""
        return self.closure.id if self.closure is not None else None

    def heading(self) -> str:
        return T("edit_title" if self.closure is not None else "title", label=self.label)

    def subheading(self) -> str | None:
        return T("subtitle", activity=self.activity_name, status=self.detail.case.status.label(lang()))

    def compose_intro(self) -> ComposeResult:
        """The activity's closure rule, when it has one."""
        if self.rules.closure_needs_status:
            yield Static(T("rule_both", activity=self.activity_name), classes="rule-note", id="closure-rule")
        elif self.rules.closure_needs_joint_decision:
            yield Static(T("rule_joint", activity=self.activity_name), classes="rule-note", id="closure-rule")

    def compose_fields(self) -> ComposeResult:
        today = self.casework.today
        c = self.closure
        reason = CodePicker(list(ClosureReason), value=c.reason if c else None, id="reason")
        yield self.field(T("reason"), reason, "reason", required=True)
        yield self.field(
            T("status_at_closure"),
            CodePicker(
                list(StatusAtClosure), value=c.status_at_closure if c else None, id="status_at_closure"
            ),
            "status_at_closure",
            required=self.rules.closure_needs_status,
        )
        yield self.field(
            T("joint_decision"),
            Checkbox(
                T("joint_box"), value=c.joint_decision if c else False, compact=True, id="joint_decision"
            ),
            "joint_decision",
            required=self.rules.closure_needs_joint_decision,
        )
        date = DateInput(c.date if c else today, today=today, id="date")
        yield self.field(T("date"), date, "date", required=True)

    def compose_below(self) -> ComposeResult:
        """The confirmation, shown after the first ctrl+s."""
        with Vertical(id="confirm"):
            yield Static("", id="confirm-text")
            yield Button(T("confirm_button"), variant="error", compact=True, id="confirm-button")

    DEFAULT_CSS = """
    CloseCaseScreen #confirm { height: auto; display: none; padding: 1 0 0 0; }
    CloseCaseScreen #confirm-text { text-style: bold; }
    CloseCaseScreen.-confirming #confirm { display: block; }
    CloseCaseScreen #closure-rule { color: $text-warning; }
    """

    @property
    def date(self) -> DateInput:
        """The closure date field."""
        return self.date_input("date")

    @property
    def joint(self) -> bool:
        """Whether the joint-decision box is ticked."""
        return self.query_one("#joint_decision", Checkbox).value

    def _all_problems(self) -> list[Problem]:
        """What would stop the closure: the typed input and the activity's closure rules."""
        local = self.local_problems()
        lines = {p.field for p in local}
        case = self.detail.case
        problems = list(local)
        if self.closure is None:
            problems += rules.step_problems(rules.Step.CLOSE, case.status)
        problems += [
            p
            for p in rules.closure_problems(
                case.activity,
                reason=self.picker("reason").value,
                status_at_closure=self.picker("status_at_closure").value,
                joint_decision=self.joint,
                closure_date=self.date.value,
                start_date=case.start_date,
                today=self.casework.today,
                dates=None if self.closure is not None else self.casework.case_dates(self.detail),
            )
            if p.field not in lines
        ]
        return problems

    def _set_confirming(self, confirming: bool) -> None:
        self.confirming = confirming
        self.set_class(confirming, "-confirming")
        self.query_one("#fields").disabled = confirming
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape and ctrl+s cancel and save on the fields, go back and confirm in the confirmation."""
        if action in ("leave", "save"):
            return not self.confirming
        if action in ("back_to_fields", "confirm_close"):
            return self.confirming
        return super().check_action(action, parameters)

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
        reason = self.picker("reason").value
        status = self.picker("status_at_closure").value
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

    def save(self) -> object:
        """Close the case (after the confirmation), or correct the closure."""
        fields: dict[str, Any] = {
            "date": self.date.for_service(),
            "reason": self.picker("reason").submitted,
            "status_at_closure": self.picker("status_at_closure").submitted,
            "joint_decision": self.joint,
        }
        if self.closure is not None:
            return self.casework.corrections.edit_closure(self.closure.id, **fields)
        return self.casework.close_case(self.case_id, **fields)

    def _close(self) -> None:
        if self.attempt(self.save) is None:
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
        self.picker("reason").input.focus()
