"""Spreadsheet import: read a CSV/XLSX file, check each row, replay the rows through casework."""
