"""Domain errors whose messages say what is wrong in Danish and English.

Nothing here imports Textual: services raise these, screens show ``problem.text(lang)`` beside
the field named by ``problem.field``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from mentor_tui.i18n import Bilingual, Lang


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with the field it belongs to (or ``""``)."""

    field: str
    da: str
    en: str
    code: str = "invalid"
    """A stable identifier of the rule that failed, for tests and logs."""

    def text(self, lang: Lang = "da") -> str:
        """Return the message in ``lang``."""
        return self.da if lang == "da" else self.en


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
    """Base class of every error the user may see.

    Built from a :class:`~mentor_tui.i18n.Bilingual` message, or (older call sites) from the
    Danish and English texts.
    """

    def __init__(self, da: str | Bilingual, en: str | None = None) -> None:
        message = da if isinstance(da, Bilingual) else Bilingual(da, da if en is None else en)
        super().__init__(message.en)
        self.message = message

    @property
    def da(self) -> str:
        """The Danish message."""
        return self.message.da

    @property
    def en(self) -> str:
        """The English message."""
        return self.message.en

    def text(self, lang: Lang | None = None) -> str:
        """Return the message in ``lang`` (default: the current UI language)."""
        return self.message.text(lang)


class DomainValidationError(MentorError):
    """Input broke one or more rules; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        da = "; ".join(p.da for p in problems)
        en = "; ".join(p.en for p in problems)
        super().__init__(da, en)

    def for_field(self, field: str) -> list[Problem]:
        """Return the problems that belong to ``field``."""
        return [p for p in self.problems if p.field == field]


class NotFoundError(MentorError):
    """A record that should exist does not."""


FIELD_LABELS: dict[str, tuple[str, str]] = {
    "display_label": ("Kaldenavn/initialer", "Label/initials"),
    "birth_year": ("Fødselsår", "Birth year"),
    "birth_month": ("Fødselsmåned", "Birth month"),
    "gender": ("Køn", "Gender"),
    "area": ("Boligområde", "Area"),
    "activity": ("Aktivitet", "Activity"),
    "received_date": ("Modtaget dato", "Date received"),
    "source": ("Henvisningskilde", "Referral source"),
    "reasons": ("Årsager", "Reasons"),
    "start_date": ("Startdato", "Start date"),
    "start_mode": ("Opstartsform", "Start mode"),
    "meeting_type": ("Mødetype", "Meeting type"),
    "date": ("Dato", "Date"),
    "participants": ("Deltagere", "Participants"),
    "next_followup_date": ("Næste opfølgning", "Next follow-up"),
    "outcome_type": ("Resultat", "Outcome"),
    "reason": ("Afslutningsårsag", "Closure reason"),
    "status_at_closure": ("Status ved afslutning", "Status at closure"),
    "joint_decision": ("Fælles beslutning", "Joint decision"),
    "note": ("Note", "Note"),
    "initials": ("Initialer", "Initials"),
    "team": ("Team", "Team"),
    "given_by": ("Samtykke givet af", "Consent given by"),
}
"""Human names of model fields, used when turning pydantic errors into problems."""


def _describe(error_type: str, ctx: dict[str, Any]) -> tuple[str, str]:
    if error_type == "missing":
        return "skal udfyldes", "is required"
    if error_type in {"int_parsing", "int_type", "int_from_float"}:
        return "skal være et helt tal", "must be a whole number"
    if error_type in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt"))
        return f"skal være mindst {limit}", f"must be at least {limit}"
    if error_type in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt"))
        return f"må højst være {limit}", f"must be at most {limit}"
    if error_type == "string_too_short":
        return "skal udfyldes", "is required"
    if error_type == "string_too_long":
        n = ctx.get("max_length")
        return f"må højst være {n} tegn", f"must be at most {n} characters"
    if error_type in {"date_parsing", "date_from_datetime_parsing", "date_type"}:
        return "er ikke en gyldig dato (dd-mm-åååå)", "is not a valid date (dd-mm-yyyy)"
    if error_type == "enum":
        return "er ikke en gyldig værdi", "is not an allowed value"
    if error_type == "string_pattern_mismatch":
        return "har et ugyldigt format", "has an invalid format"
    return "er ugyldig", "is invalid"


def from_pydantic(exc: ValidationError) -> DomainValidationError:
    """Translate a pydantic ``ValidationError`` into a bilingual :class:`DomainValidationError`."""
    problems: list[Problem] = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else ""
        name_da, name_en = FIELD_LABELS.get(field, (field, field))
        cause = (err.get("ctx") or {}).get("error")
        if err["type"] == "enum" and err.get("input") is None:
            # a required code that was not given at all: say so, not "not an allowed value"
            da, en = _describe("missing", {})
        elif isinstance(cause, InputError):
            # our own parsers carry their message in both languages
            da, en = cause.message.da, cause.message.en
        else:
            da, en = _describe(err["type"], dict(err.get("ctx") or {}))
        code = cause.code if isinstance(cause, InputError) and cause.code != "invalid" else err["type"]
        problems.append(Problem(field, f"{name_da} {da}".strip(), f"{name_en} {en}".strip(), code))
    return DomainValidationError(problems)
