"""Dashboard: this week's, quarter's and project year's main counts beside last year, and the trend.

Two modes, switched with ``t``:

- **Team** (the default): every case in the database, under the same disclosure control as the
  export. Counts from 1 to threshold-1 are shown as ``<5``; zeros stay visible. In the weekly
  trend such weeks are drawn as zero, and the figures beside it are disclosed the same way.
- **My cases**: only cases whose case worker is this laptop's user (``staff_id`` is the local
  staff record), with exact counts, since they are the user's own cases. Without a local staff
  record the screen says so and shows no figures.

Every period is counted up to today; "last year" is the same number of days from the start of
the same week, project quarter or project year one year earlier, so the two are comparable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Header, Sparkline, Static
from textual.worker import Worker, WorkerState

from mentor_tui.config import Settings
from mentor_tui.dates import format_date, week_label
from mentor_tui.errorlog import message_for
from mentor_tui.i18n import Catalog, lang
from mentor_tui.screens.screen_help import ScreenHelp
from mentor_tui.services.counts.dashboard import (
    DASHBOARD_METRICS,
    TREND_METRICS,
    DashboardData,
    build_dashboard,
    period_label,
)
from mentor_tui.storage.repositories import Repositories
from mentor_tui.widgets.bindings import MentorScreen, binding, key_command
from mentor_tui.widgets.counts_table import fill_table, metric_label
from mentor_tui.widgets.key_footer import KeyFooter

T = Catalog(
    {
        "title": ("Overblik", "Dashboard"),
        "metric": ("Tal", "Count"),
        "team": (
            "Team: alle forløb, anonymiseret (1-{below} vises som <{threshold})",
            "Team: every case, anonymised (1-{below} shown as <{threshold})",
        ),
        "mine": (
            "Mine forløb ({initials}): eksakte tal for de forløb du er sagsbehandler på",
            "My cases ({initials}): exact counts of the cases you are the case worker on",
        ),
        "no_staff": (
            "Mine forløb: der er ingen lokal medarbejder på denne computer, så der er ingen "
            "forløb at vise. Tryk t for team.",
            "My cases: there is no local staff member on this computer, so there are no cases "
            "to show. Press t for the team.",
        ),
        "as_of": (
            "Til og med {today}, hver periode ved siden af de samme dage af perioden året før.",
            "Up to and including {today}, each period beside the same days of the period a year earlier.",
        ),
        "computing": ("Tæller op …", "Counting …"),
        "failed": (
            "Overblikket kunne ikke beregnes: {error}",
            "The dashboard could not be computed: {error}",
        ),
        "trend:REFERRALS": ("Nye henvisninger pr. uge", "New referrals per week"),
        "trend:TREPARTSSAMTALER": ("3-partssamtaler pr. uge", "Tripartite meetings per week"),
        "trend_caption": (
            "{first} – {last}; i alt i {year} til dato: {total}; højeste uge: {peak}",
            "{first} – {last}; {year} to date: {total}; busiest week: {peak}",
        ),
        "trend_team_note": (
            "Uger med 1-{below} tegnes som 0 i team-visning.",
            "Weeks with 1-{below} are drawn as 0 in team mode.",
        ),
        "help_title": ("Hjælp: Overblik", "Help: Dashboard"),
        "help_text": (
            "Ugens, projektkvartalets og projektårets hovedtal til og med i dag, ved siden af "
            "de samme dage året før, og udviklingen uge for uge i projektåret.\n\n"
            "- **t** skifter mellem **team** og **mine forløb**.\n"
            "- **Team** tæller alle forløb med samme anonymisering som eksporten: tal fra 1 "
            "til {below} vises som **<{threshold}**, nul vises. I kurverne tegnes sådanne uger "
            "som 0.\n"
            "- **Mine forløb** tæller kun de forløb hvor du er sagsbehandler, med eksakte tal. "
            "Uden en lokal medarbejder på computeren er der ingen tal.\n"
            "- E1-E5 er personer (hver tælles én gang pr. periode) med et resultat i perioden.\n"
            "- **r** tæller op igen, **Escape** går tilbage.",
            "This week's, project quarter's and project year's main counts up to today, beside "
            "the same days a year earlier, and the week-by-week trend over the project year.\n\n"
            "- **t** switches between **team** and **my cases**.\n"
            "- **Team** counts every case under the same anonymisation as the export: counts "
            "from 1 to {below} are shown as **<{threshold}**, zeros are shown. In the trend "
            "lines such weeks are drawn as 0.\n"
            "- **My cases** counts only the cases you are the case worker on, exactly. Without "
            "a local staff member on this computer there are no figures.\n"
            "- E1-E5 count persons (each once per period) with an outcome in the period.\n"
            "- **r** counts again, **Escape** goes back.",
        ),
    }
)


class DashboardScreen(MentorScreen[None]):
    """Main counts for the lead and the mentor, team-wide (anonymised) or for the user's own cases."""

    HELP_TOPIC = "dashboard"

    DEFAULT_CSS = """
    DashboardScreen {
        & #dash-body { padding: 0 1; }
        & #dash-mode { margin: 1 0 0 0; text-style: bold; }
        & #dash-mode.-mine { color: $warning; }
        & #dash-as-of { color: $text-muted; }
        & #dash-counts { height: auto; max-height: 12; margin: 1 0 0 0; }
        & .trend-row { height: 3; margin: 1 0 0 0; }
        & .trend-title { width: 30; }
        & Sparkline { width: 1fr; height: 2; }
        & .trend-caption { color: $text-muted; height: 1; }
        & #trend-note { color: $text-muted; }
    }
    """

    BINDINGS = [
        binding("escape", "back", id="back"),
        binding("t", "toggle_mode", id="team-mode"),
        binding("r", "refresh", id="refresh"),
        binding("f1", "help", id="help", show=False),
    ]

    team: reactive[bool] = reactive(True, init=False)
    """True: the whole team, anonymised. False: the local user's own cases, exact."""

    def __init__(self, repos: Repositories, settings: Settings) -> None:
        super().__init__()
        self.repos = repos
        self.settings = settings
        self.data: DashboardData | None = None
        """The figures now shown, or None while they are being computed."""

    @property
    def threshold(self) -> int:
        """The suppression threshold from the settings (never below 3)."""
        return self.settings.suppression_threshold

    def compose(self) -> ComposeResult:
        """Mode line, counts table, two trend lines."""
        yield Header()
        with Vertical(id="dash-body"):
            yield Static(id="dash-mode")
            yield Static(id="dash-as-of")
            yield DataTable(id="dash-counts", cursor_type="row", zebra_stripes=True)
            for metric in TREND_METRICS:
                with Horizontal(classes="trend-row"):
                    yield Static(T(f"trend:{metric}"), classes="trend-title")
                    with Vertical():
                        yield Sparkline([], id=f"trend-{metric.lower()}")
                        yield Static(classes="trend-caption", id=f"trend-{metric.lower()}-caption")
            yield Static(id="trend-note")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Compute the figures for the team."""
        self.title = T("title")
        self.action_refresh()

    # -- actions -------------------------------------------------------------------------------

    def action_toggle_mode(self) -> None:
        """Switch between the team and the user's own cases."""
        self.team = not self.team

    def watch_team(self) -> None:
        """Recount in the new mode."""
        self.action_refresh()

    def action_refresh(self) -> None:
        """Count again (in a worker thread)."""
        self.data = None
        self.query_one("#dash-as-of", Static).update(T("computing"))
        self.query_one(DataTable).loading = True
        if self.team:
            self._show_mode(None)
            self._compute(None)
            return
        staff = self.repos.local_staff()
        self._show_mode(staff.initials if staff is not None else None)
        if staff is None:
            self._clear()
            return
        self._compute(staff.id)

    def action_help(self) -> None:
        """Show what the screen shows and how team mode anonymises."""
        text = T("help_text", below=self.threshold - 1, threshold=self.threshold)
        self.app.push_screen(ScreenHelp(T("help_title"), text))

    # -- command palette -------------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the command palette."""
        yield key_command("team-mode", self.action_toggle_mode)
        yield key_command("refresh", self.action_refresh)

    def action_back(self) -> None:
        """Go back to the previous screen."""
        self.dismiss(None)

    # -- computing -----------------------------------------------------------------------------

    @dataclass
    class Computed(Message):
        """A worker finished computing the figures."""

        data: DashboardData

    @work(thread=True, group="dashboard", exclusive=True, exit_on_error=False)
    def _compute(self, staff_id: str | None) -> None:
        # a message, not call_from_thread: its handler runs in the screen's context, which
        # carries the UI language (a worker thread's context does not)
        self.post_message(
            self.Computed(build_dashboard(self.repos, staff_id=staff_id, threshold=self.threshold))
        )

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        self._show(message.data)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "dashboard" and event.state == WorkerState.ERROR:
            error = event.worker.error
            text = message_for(error, where="dashboard worker").text(lang())
            self.query_one("#dash-as-of", Static).update(T("failed", error=text))
            self.query_one(DataTable).loading = False

    # -- showing -------------------------------------------------------------------------------

    def _show_mode(self, initials: str | None) -> None:
        mode = self.query_one("#dash-mode", Static)
        mode.set_class(not self.team, "-mine")
        if self.team:
            mode.update(T("team", below=self.threshold - 1, threshold=self.threshold))
        elif initials is None:
            mode.update(T("no_staff"))
        else:
            mode.update(T("mine", initials=initials))

    def shown(self, value: int | None) -> str:
        """Return a count as shown: the number, or ``<5`` when disclosure control hides it."""
        return f"<{self.threshold}" if value is None else str(value)

    def _clear(self) -> None:
        self.query_one("#dash-as-of", Static).update("")
        table = self.query_one(DataTable)
        table.loading = False
        table.clear(columns=True)
        for metric in TREND_METRICS:
            self.query_one(f"#trend-{metric.lower()}", Sparkline).data = []
            self.query_one(f"#trend-{metric.lower()}-caption", Static).update("")
        self.query_one("#trend-note", Static).update("")

    def _show(self, data: DashboardData) -> None:
        if (data.staff_id is None) != self.team:
            return  # computed for the other mode; the right one is on its way
        self.data = data
        self.query_one(DataTable).loading = False
        language = lang()
        self.query_one("#dash-as-of", Static).update(T("as_of", today=format_date(data.today, language)))
        columns = [("metric", T("metric"))]
        for comparison in data.comparisons:
            columns.append((comparison.period.code, period_label(comparison.period, language)))
            columns.append(
                (f"{comparison.period.code}-last-year", period_label(comparison.previous, language))
            )
        rows: list[tuple[str | None, list[str]]] = []
        for metric in DASHBOARD_METRICS:
            row = [metric_label(metric)]
            for comparison in data.comparisons:
                row.append(self.shown(comparison.counts.get(metric, 0)))
                row.append(self.shown(comparison.last_year_counts.get(metric, 0)))
            rows.append((metric, row))
        fill_table(self.query_one(DataTable), columns, rows)
        trend = data.trend
        year = data.comparisons[-1]
        for metric in TREND_METRICS:
            values = trend.series[metric]
            self.query_one(f"#trend-{metric.lower()}", Sparkline).data = [float(v or 0) for v in values]
            caption = ""
            if trend.weeks:
                visible = max((v for v in values if v is not None), default=0)
                hidden = any(v is None for v in values)
                caption = T(
                    "trend_caption",
                    first=week_label(trend.weeks[0].start, language),
                    last=week_label(trend.weeks[-1].start, language),
                    year=period_label(year.period, language),
                    total=self.shown(year.counts.get(metric)),
                    peak=self.shown(None if hidden and visible < self.threshold else visible),
                )
            self.query_one(f"#trend-{metric.lower()}-caption", Static).update(caption)
        note = T("trend_team_note", below=self.threshold - 1) if self.team else ""
        self.query_one("#trend-note", Static).update(note)
