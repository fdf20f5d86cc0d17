"""The Textual application: wires settings and services into the screens."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from mentor_tui.config import Settings
from mentor_tui.i18n import set_language
from mentor_tui.services.casework import CaseworkService
from mentor_tui.storage.repositories import Repositories


class MentorApp(App[None]):
    """mentor-tui: casework for BoligSocialt Hus."""

    CSS_PATH = "app.tcss"
    TITLE = "mentor-tui"

    def __init__(self, repos: Repositories, settings: Settings) -> None:
        super().__init__()
        self.repos = repos
        self.settings = settings
        self.casework = CaseworkService(repos, a3_max_age=settings.a3_max_age)
        set_language(settings.language)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.repos.cases.count()} forløb", id="placeholder")
        yield Footer()
