"""Use-cases over the repositories (casework, rules, demo data, export, import); no Textual.

Import the sub-modules directly, e.g. ``from mentor_tui.services.casework import CaseworkService``.
"""
