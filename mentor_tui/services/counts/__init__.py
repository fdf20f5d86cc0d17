"""Counting: periods, the export's metrics and tables, disclosure control, file formats, dashboard.

Everything the export and the dashboard count lives here, so both use one definition of each figure.
"""
