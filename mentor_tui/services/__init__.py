"""Use-cases over the repositories, one package per subsystem; no Textual.

- ``casework``: the plan's rules and the casework service;
- ``counts``: periods, metrics, disclosure control, export formats, dashboard figures;
- ``importing``: spreadsheet import;
- ``demo``: synthetic demo data.

Import the modules directly, e.g. ``from mentor_tui.services.casework.service import CaseworkService``.
"""
