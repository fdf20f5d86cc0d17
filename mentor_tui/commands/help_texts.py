"""The command line's help in the user's language: ``mentor-tui --help`` and every sub-command's.

The commands declare their options with argparse as usual (any help text they give is a
fallback); the texts a user reads come from here, by sub-command and option ``dest``, in Danish
and English, each with its default. :func:`translate_parser` puts them in place, and
:func:`argparse_language` has argparse's own words ("usage:", "options", its error messages)
follow the same language. ``tests/unit/test_cli_help.py`` checks that every option of every
sub-command has a text here, so a new option cannot reach a user in English only.

The language comes from ``--lang``, else the config file's ``language`` (:func:`language_from_argv`),
so ``--help`` speaks the language the app does.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from mentor_tui.i18n import Bilingual, Lang

B = Bilingual

PROGRAM = B(
    "Sagsarbejde for BoligSocialt Hus: henvisninger, 3-partssamtaler, opfølgninger, afslutninger "
    "og anonymiserede tal. Uden en kommando starter programmet.",
    "Casework for BoligSocialt Hus: referrals, 3-partssamtaler, follow-ups, closures and "
    "anonymised counts. Without a command it starts the app.",
)
"""The description under ``mentor-tui --help``'s usage line."""

EPILOG = B(
    "Eksempler: «mentor-tui --demo» (prøv på syntetiske data), «mentor-tui export --period 2026-W47», "
    "«mentor-tui KOMMANDO --help» for en kommandos valgmuligheder.",
    "Examples: “mentor-tui --demo” (try it on synthetic data), “mentor-tui export --period 2026-W47”, "
    "“mentor-tui COMMAND --help” for a command's options.",
)

COMMANDS: dict[str, tuple[Bilingual, Bilingual]] = {
    # name: (one line in the list of commands, the description under its own --help)
    "locate": (
        B("vis hvor data og konfiguration ligger", "print where the data and config live"),
        B(
            "Skriver stien til datamappen, databasen, demodatabasen og konfigurationsfilen.",
            "Prints the paths of the data folder, the database, the demo database and the config file.",
        ),
    ),
    "export": (
        B("skriv anonymiserede tal (CSV, XLSX, JSON)", "write anonymised counts (CSV, XLSX, JSON)"),
        B(
            "Skriver planens indikatorer og leverancetal for en periode, med små tal skjult "
            "(diskretionering), til lederen. Ingen id'er, betegnelser, fritekst eller datoer.",
            "Writes the plan's indicators and delivery counts for a period, with small counts hidden "
            "(disclosure control), for the lead. No ids, labels, free text or dates.",
        ),
    ),
    "import": (
        B("importér registreringer fra CSV eller XLSX", "import registrations from CSV or XLSX"),
        B(
            "Tjekker hele filen først; er en række forkert, importeres intet, og hver forkert række "
            "vises med linjenummer. Samme fil to gange tilføjer intet.",
            "Checks the whole file first; if any row is wrong nothing is imported and every wrong row "
            "is listed with its line number. The same file twice adds nothing.",
        ),
    ),
    "backup": (
        B(
            "kopiér databasen sikkert, også mens den er i brug",
            "copy the database safely while it is in use",
        ),
        B(
            "Skriver en sikkerhedskopi af databasen; den eneste sikre måde at kopiere den på.",
            "Writes a backup of the database; the one safe way to copy it.",
        ),
    ),
    "restore": (
        B("læg en sikkerhedskopi tilbage", "put a backup back in place"),
        B(
            "Tjekker kopien og lægger den i stedet for databasen; den nuværende fil gemmes til side.",
            "Checks the backup and puts it in place of the database; the current file is kept aside.",
        ),
    ),
    "check": (
        B("tjek hele databasefilen (integritet)", "check the database file in full (integrity)"),
        B(
            "Kører SQLites fulde integritetstjek og siger hvad der er galt, og hvad man gør ved det.",
            "Runs SQLite's full integrity check and says what is wrong and what to do about it.",
        ),
    ),
    "encrypt": (
        B("kryptér databasen (SQLCipher)", "encrypt the database (SQLCipher)"),
        B(
            "Krypterer databasen med en adgangsfrase (kræver pip install 'mentor-tui[encrypted]').",
            "Encrypts the database with a passphrase (needs pip install 'mentor-tui[encrypted]').",
        ),
    ),
    "rekey": (
        B("skift adgangsfrasen til en krypteret database", "change the passphrase of an encrypted database"),
        B(
            "Skifter adgangsfrasen; den gamle virker ikke bagefter.",
            "Changes the passphrase; the old one no longer works afterwards.",
        ),
    ),
    "retention": (
        B(
            "anonymisér personer hvis forløb sluttede for længe siden (--dry-run: vis dem)",
            "anonymise persons whose cases closed long ago (--dry-run: list them)",
        ),
        B(
            "Anonymiserer personer uden åbent forløb og uden registreringer i retention_months "
            "måneder (konfigurationsfilen, standard 24): kaldenavn, fødselsmåned og fritekst slettes, "
            "tallene bliver de samme. Viser hvem først og spørger.",
            "Anonymises persons with no open case and no record in retention_months months (the "
            "config file, default 24): label, birth month and free text go, the counts stay the "
            "same. Lists who first and asks.",
        ),
    ),
    "person-report": (
        B(
            "vis alt hvad der er gemt om én person (indsigtsret), som tekst eller JSON",
            "print everything stored about one person (right of access), as text or JSON",
        ),
        B(
            "Skriver alt hvad databasen har om én person: personen, henvisninger, forløb med "
            "samtykker, møder, resultater, afslutninger, genåbninger og ændringsloggen.",
            "Prints everything the database holds about one person: the person, referrals, cases "
            "with consents, meetings, outcomes, closures, reopenings and the audit trail.",
        ),
    ),
}
"""Every sub-command: its line in the command list and its description."""

OPTIONS: dict[str, Bilingual] = {
    # options of every command (the top level and each sub-command)
    "help": B("vis denne hjælp og afslut", "show this help and exit"),
    "version": B("vis programmets version og afslut", "show the program's version and exit"),
    "db": B(
        "databasefil (standard: $MENTOR_TUI_DB, ellers brugerens datamappe; se «mentor-tui locate»)",
        "database file (default: $MENTOR_TUI_DB, else the user data folder; see “mentor-tui locate”)",
    ),
    "demo": B(
        "brug demodatabasen med syntetiske data (oprettes første gang; standard: fra)",
        "use the demo database with synthetic data (created on first use; default: off)",
    ),
    "lang": B(
        "sproget: da eller en (standard: language i konfigurationsfilen, ellers da)",
        "the language: da or en (default: language in the config file, else da)",
    ),
    "config": B(
        "konfigurationsfil (standard: $MENTOR_TUI_CONFIG_FILE, ellers brugerens konfigurationsmappe)",
        "config file (default: $MENTOR_TUI_CONFIG_FILE, else the user config folder)",
    ),
    "passphrase_file": B(
        "læs adgangsfrasen til en krypteret database fra første linje i filen "
        "(standard: $MENTOR_TUI_PASSPHRASE, ellers spørges der)",
        "read the passphrase of an encrypted database from the first line of the file "
        "(default: $MENTOR_TUI_PASSPHRASE, else you are asked)",
    ),
    # sub-commands
    "command": B("kommandoen (udelades: start programmet)", "the command (left out: start the app)"),
    "locate.what": B(
        "hvad der skal vises: all, data, db eller config (standard: all)",
        "what to print: all, data, db or config (default: all)",
    ),
    "export.period": B(
        "2026-W47 (ISO-uge), PY1 (projektår fra 1. okt.), PY1-Q1 (projektkvartal) eller "
        "2026-01-01..2026-03-31 (standard: den seneste hele ISO-uge)",
        "2026-W47 (ISO week), PY1 (project year from 1 Oct), PY1-Q1 (project quarter) or "
        "2026-01-01..2026-03-31 (default: the last complete ISO week)",
    ),
    "export.date_from": B(
        "første dag (dd-mm-åååå eller ISO; sammen med --to)",
        "first day (dd-mm-yyyy or ISO; with --to)",
    ),
    "export.date_to": B("sidste dag, medregnet (sammen med --from)", "last day, included (with --from)"),
    "export.format": B(
        "filformat: csv, xlsx eller json (standard: efter --out's endelse, ellers csv)",
        "file format: csv, xlsx or json (default: from the --out suffix, else csv)",
    ),
    "export.out": B(
        "fil eller mappe der skrives til (standard: den aktuelle mappe, med et dateret filnavn)",
        "file or folder to write to (default: the current folder, with a dated file name)",
    ),
    "export.internal": B(
        "eksakte tal uden diskretionering; filen mærkes INTERN (standard: fra)",
        "exact counts without disclosure control; the file is marked INTERNAL (default: off)",
    ),
    "export.threshold": B(
        "skjul tal fra 1 til N-1 (standard: suppression_threshold i konfigurationen, 5; mindst 3)",
        "hide counts from 1 to N-1 (default: suppression_threshold in the config, 5; at least 3)",
    ),
    "export.force": B(
        "overskriv en eksisterende eksportfil (aldrig en database; standard: fra)",
        "overwrite an existing export file (never a database; default: off)",
    ),
    "export.allow_incomplete": B(
        "eksportér en periode der ikke er slut, talt til i dag; filen siger den er ufuldstændig "
        "(standard: fra)",
        "export a period that has not ended, counted up to today; the file says it is incomplete "
        "(default: off)",
    ),
    "import.file": B(
        "CSV- eller XLSX-fil med en overskriftsrække (se docs/import.md)",
        "CSV or XLSX file with a header row (see docs/import.md)",
    ),
    "import.dry_run": B(
        "tjek og tæl kun; intet skrives i databasen (standard: fra)",
        "check and count only; nothing is written to the database (default: off)",
    ),
    "backup.out": B(
        "sikkerhedskopien der skrives (standard: en ny, dateret fil i mappen backups ved databasen); "
        "overskrives aldrig",
        "the backup file to write (default: a new, dated file in the backups folder beside the "
        "database); never overwritten",
    ),
    "restore.file": B(
        "sikkerhedskopien der lægges tilbage (lavet af mentor-tui backup)",
        "the backup to restore (made by mentor-tui backup)",
    ),
    "restore.allow_unencrypted": B(
        "læg en ukrypteret kopi tilbage over en fil der ser krypteret ud (en beskadiget, ukrypteret "
        "database); databasen er derefter ikke krypteret (standard: fra)",
        "restore a plain backup over a file that looks encrypted (a damaged plain database); the "
        "database is then not encrypted (default: off)",
    ),
    "retention.dry_run": B(
        "vis kun hvem der ville blive anonymiseret; intet skrives (standard: fra)",
        "only list who would be anonymised; nothing is written (default: off)",
    ),
    "retention.yes": B(
        "spørg ikke før anonymiseringen (til en planlagt kørsel; standard: fra)",
        "do not ask before anonymising (for a scheduled run; default: off)",
    ),
    "person-report.label": B(
        "personens kaldenavn, helt (som i programmet)", "the person's label, whole (as in the app)"
    ),
    "person-report.person_id": B(
        "personens id eller dets første tegn (når flere har samme kaldenavn)",
        "the person's id, or its first characters (when several persons share a label)",
    ),
    "person-report.format": B("text eller json (standard: text)", "text or json (default: text)"),
    "rekey.new_passphrase_file": B(
        "læs den nye adgangsfrase fra første linje i filen (standard: der spørges to gange)",
        "read the new passphrase from the first line of the file (default: you are asked twice)",
    ),
}
"""Option texts by ``dest``: ``"sub-command.dest"`` for a sub-command's own, plain ``dest`` for
the options every command takes."""

METAVARS: dict[str, Bilingual] = {
    "PATH": B("STI", "PATH"),
    "FILE": B("FIL", "FILE"),
    "DATE": B("DATO", "DATE"),
    "PERIOD": B("PERIODE", "PERIOD"),
    "COMMAND": B("KOMMANDO", "COMMAND"),
}
"""The placeholders in the usage lines."""

ARGPARSE: dict[str, Bilingual] = {
    "usage: ": B("brug: ", "usage: "),
    "positional arguments": B("argumenter", "positional arguments"),
    "options": B("valgmuligheder", "options"),
    "show this help message and exit": OPTIONS["help"],
    "%(prog)s: error: %(message)s\n": B("%(prog)s: fejl: %(message)s\n", "%(prog)s: error: %(message)s\n"),
    "argument %(argument_name)s: %(message)s": B(
        "argument %(argument_name)s: %(message)s", "argument %(argument_name)s: %(message)s"
    ),
    "invalid choice: %(value)r (choose from %(choices)s)": B(
        "ugyldigt valg: %(value)r (vælg mellem %(choices)s)",
        "invalid choice: %(value)r (choose from %(choices)s)",
    ),
    "invalid %(type)s value: %(value)r": B(
        "ugyldig værdi (%(type)s): %(value)r", "invalid %(type)s value: %(value)r"
    ),
    "the following arguments are required: %s": B(
        "disse argumenter mangler: %s", "the following arguments are required: %s"
    ),
    "unrecognized arguments: %s": B("ukendte argumenter: %s", "unrecognized arguments: %s"),
    "expected one argument": B("forventede én værdi", "expected one argument"),
    "expected at most one argument": B("forventede højst én værdi", "expected at most one argument"),
    "expected at least one argument": B("forventede mindst én værdi", "expected at least one argument"),
    "ambiguous option: %(option)s could match %(matches)s": B(
        "tvetydig valgmulighed: %(option)s kan være %(matches)s",
        "ambiguous option: %(option)s could match %(matches)s",
    ),
    "not allowed with argument %s": B("ikke tilladt sammen med %s", "not allowed with argument %s"),
    "one of the arguments %s is required": B(
        "et af argumenterne %s skal angives", "one of the arguments %s is required"
    ),
    "ignored explicit argument %r": B("ignorerede argumentet %r", "ignored explicit argument %r"),
    "unknown parser %(parser_name)r (choices: %(choices)s)": B(
        "ukendt kommando %(parser_name)r (vælg mellem %(choices)s)",
        "unknown parser %(parser_name)r (choices: %(choices)s)",
    ),
}
"""argparse's own words (its gettext message ids) in both languages."""

ARGPARSE_PLURAL: dict[str, tuple[Bilingual, Bilingual]] = {
    "expected %s argument": (
        B("forventede %s værdi", "expected %s argument"),
        B("forventede %s værdier", "expected %s arguments"),
    ),
}


def option_key(command: str | None, dest: str) -> str:
    """Return the :data:`OPTIONS` key of option ``dest`` of ``command`` (None: the top level)."""
    return f"{command}.{dest}" if command else dest


def option_text(command: str | None, dest: str) -> Bilingual | None:
    """Return the help of option ``dest`` of ``command``: its own text, else the common one."""
    return OPTIONS.get(option_key(command, dest)) or OPTIONS.get(dest)


def translate_parser(parser: argparse.ArgumentParser, lang: Lang, command: str | None = None) -> None:
    """Put the texts of this module, in ``lang``, on ``parser`` and its sub-commands' parsers."""
    if command is None:
        parser.description = PROGRAM.text(lang)
        parser.epilog = EPILOG.text(lang)
    elif command in COMMANDS:
        parser.description = COMMANDS[command][1].text(lang)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            text = option_text(command, action.dest)
            if text is not None:
                action.help = text.text(lang)
            _translate_metavar(action, lang)
            for choice in action._choices_actions:
                if choice.dest in COMMANDS:
                    choice.help = COMMANDS[choice.dest][0].text(lang)
            for name, sub in action.choices.items():
                translate_parser(sub, lang, name)
            continue
        if action.help == argparse.SUPPRESS:
            continue
        text = option_text(command, action.dest)
        if text is not None:
            action.help = text.text(lang)
        _translate_metavar(action, lang)


def _translate_metavar(action: argparse.Action, lang: Lang) -> None:
    shown = action.metavar
    if shown is None and action.option_strings and action.nargs != 0:
        shown = action.dest.upper()
    if isinstance(shown, str) and shown in METAVARS:
        action.metavar = METAVARS[shown].text(lang)


def untranslated(parser: argparse.ArgumentParser, command: str | None = None) -> list[str]:
    """Return the options and sub-commands of ``parser`` that have no text here (for the tests)."""
    missing: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if name not in COMMANDS:
                    missing.append(name)
                missing += untranslated(sub, name)
            continue
        if action.help != argparse.SUPPRESS and option_text(command, action.dest) is None:
            missing.append(option_key(command, action.dest))
    return missing


@contextmanager
def argparse_language(lang: Lang) -> Iterator[None]:
    """Let argparse's own words (usage, headings, error messages) be in ``lang`` while inside.

    argparse looks its words up through ``gettext`` at the moment it uses them; inside this
    block that lookup answers from :data:`ARGPARSE`. Outside, argparse is as it was.
    """
    saved: tuple[Callable[[str], str], Callable[[str, str, int], str]] = (
        argparse._,  # type: ignore[attr-defined]
        argparse.ngettext,  # type: ignore[attr-defined]
    )

    def gettext(message: str) -> str:
        text = ARGPARSE.get(message)
        return text.text(lang) if text is not None else saved[0](message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        forms = ARGPARSE_PLURAL.get(singular)
        if forms is None:
            return saved[1](singular, plural, n)
        return (forms[0] if n == 1 else forms[1]).text(lang)

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def language_from_argv(argv: Sequence[str], default_config: Path) -> Lang:
    """Return the language a command line asks for, before it is parsed in full.

    ``--lang da|en`` wins; else ``language`` in the config file (``--config PATH`` or
    ``default_config``); else Danish. A config file that cannot be read gives Danish here: the
    full start-up reports what is wrong with it.
    """
    args = list(argv)
    lang: str | None = None
    config: str | None = None
    for index, arg in enumerate(args):
        for name in ("--lang", "--config"):
            value: str | None = None
            if arg == name and index + 1 < len(args):
                value = args[index + 1]
            elif arg.startswith(name + "="):
                value = arg.split("=", 1)[1]
            if value is not None:
                if name == "--lang":
                    lang = value
                else:
                    config = value
    if lang in ("da", "en"):
        return lang  # type: ignore[return-value]
    path = Path(config).expanduser() if config else default_config
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "da"
    import tomllib  # only with a config file (issue 12: start-up)

    try:
        configured = tomllib.loads(text).get("language")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "da"
    return "en" if configured == "en" else "da"
