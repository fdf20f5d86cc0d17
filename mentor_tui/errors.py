"""Domain errors whose messages say what is wrong in Danish and English.

Nothing here imports Textual: services raise these, screens show ``problem.text(lang)`` beside
the field named by ``problem.field``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mentor_tui.i18n import Bilingual, Lang

if TYPE_CHECKING:
    from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with the field it belongs to (or ``""``)."""

    field: str
    message: Bilingual
    """What is wrong and how to put it right."""
    code: str = "invalid"
    """A stable identifier of the rule that failed, for tests and logs."""

    def text(self, lang: Lang | None = None) -> str:
        """Return the message in ``lang`` (default: the UI language)."""
        return self.message.text(lang)


class InputError(ValueError):
    """A parser could not read what was typed; carries the message in both languages.

    A ``ValueError`` so that pydantic validators may raise it; :func:`from_pydantic` takes the
    message from it instead of parsing text.
    """

    def __init__(self, message: Bilingual, *, code: str = "invalid") -> None:
        super().__init__(message.en)
        self.message = message
        self.code = code
        """A stable identifier of the rule that failed (becomes :attr:`Problem.code`)."""


class MentorError(Exception):
    """Base class of every error the user may see; carries its message in both languages."""

    def __init__(self, message: Bilingual) -> None:
        super().__init__(message.en)
        self.message = message

    def text(self, lang: Lang | None = None) -> str:
        """Return the message in ``lang`` (default: the current UI language)."""
        return self.message.text(lang)


class DomainValidationError(MentorError):
    """Input broke one or more rules; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(Bilingual.join("; ", (p.message for p in problems)))

    def for_field(self, field: str) -> list[Problem]:
        """Return the problems that belong to ``field``."""
        return [p for p in self.problems if p.field == field]


class NotFoundError(MentorError):
    """A record that should exist does not."""


FIELD_LABELS: dict[str, Bilingual] = {
    "display_label": Bilingual("Kaldenavn/initialer", "Label/initials"),
    "birth_year": Bilingual("Fødselsår", "Birth year"),
    "birth_month": Bilingual("Fødselsmåned", "Birth month"),
    "gender": Bilingual("Køn", "Gender"),
    "area": Bilingual("Boligområde", "Area"),
    "activity": Bilingual("Aktivitet", "Activity"),
    "received_date": Bilingual("Modtaget dato", "Date received"),
    "source": Bilingual("Henvisningskilde", "Referral source"),
    "reasons": Bilingual("Årsager", "Reasons"),
    "start_date": Bilingual("Startdato", "Start date"),
    "start_mode": Bilingual("Opstartsform", "Start mode"),
    "meeting_type": Bilingual("Mødetype", "Meeting type"),
    "date": Bilingual("Dato", "Date"),
    "participants": Bilingual("Deltagere", "Participants"),
    "next_followup_date": Bilingual("Næste opfølgning", "Next follow-up"),
    "outcome_type": Bilingual("Resultat", "Outcome"),
    "reason": Bilingual("Afslutningsårsag", "Closure reason"),
    "status_at_closure": Bilingual("Status ved afslutning", "Status at closure"),
    "joint_decision": Bilingual("Fælles beslutning", "Joint decision"),
    "note": Bilingual("Note", "Note"),
    "initials": Bilingual("Initialer", "Initials"),
    "team": Bilingual("Team", "Team"),
    "given_by": Bilingual("Samtykke givet af", "Consent given by"),
}
"""Human names of model fields, used when turning pydantic errors into problems."""


def field_label(field: str) -> Bilingual:
    """Return the human name of model field ``field`` (the field's own name when it has none)."""
    return FIELD_LABELS.get(field, Bilingual(field, field))


def _describe(error_type: str, ctx: dict[str, Any]) -> Bilingual:
    if error_type == "missing":
        return Bilingual("skal udfyldes", "is required")
    if error_type in {"int_parsing", "int_type", "int_from_float"}:
        return Bilingual("skal være et helt tal", "must be a whole number")
    if error_type in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt"))
        return Bilingual(f"skal være mindst {limit}", f"must be at least {limit}")
    if error_type in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt"))
        return Bilingual(f"må højst være {limit}", f"must be at most {limit}")
    if error_type == "string_too_short":
        return Bilingual("skal udfyldes", "is required")
    if error_type == "string_too_long":
        n = ctx.get("max_length")
        return Bilingual(f"må højst være {n} tegn", f"must be at most {n} characters")
    if error_type in {"date_parsing", "date_from_datetime_parsing", "date_type"}:
        return Bilingual("er ikke en gyldig dato (dd-mm-åååå)", "is not a valid date (dd-mm-yyyy)")
    if error_type == "enum":
        return Bilingual("er ikke en gyldig værdi", "is not an allowed value")
    if error_type == "string_pattern_mismatch":
        return Bilingual("har et ugyldigt format", "has an invalid format")
    return Bilingual("er ugyldig", "is invalid")


def _about(field: str, what: Bilingual) -> Bilingual:
    """Return ``what`` said of ``field``: "Fødselsår skal være mindst 1900"."""
    return Bilingual.join(" ", [field_label(field), what]) if field else what


def required(field: str, code: str = "missing") -> Problem:
    """Return the problem "<field> is required" for model field ``field``."""
    return Problem(field, _about(field, _describe("missing", {})), code)


def from_pydantic(exc: ValidationError) -> DomainValidationError:
    """Translate a pydantic ``ValidationError`` into a bilingual :class:`DomainValidationError`."""
    problems: list[Problem] = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else ""
        cause = (err.get("ctx") or {}).get("error")
        if err["type"] == "enum" and err.get("input") is None:
            # a required code that was not given at all: say so, not "not an allowed value"
            problems.append(required(field, err["type"]))
        elif isinstance(cause, InputError):
            # our own parsers carry their message in both languages
            code = cause.code if cause.code != "invalid" else err["type"]
            problems.append(Problem(field, _about(field, cause.message), code))
        else:
            what = _describe(err["type"], dict(err.get("ctx") or {}))
            problems.append(Problem(field, _about(field, what), err["type"]))
    return DomainValidationError(problems)
