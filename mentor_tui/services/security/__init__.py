"""Protecting the records on a lost laptop (issue 13): passphrase attempts, retention, the
right of access (person report) and automatic backups.

DOMAIN.md 5.3 items 4 and 6 (field laptops; retention) and [004:108] (access to one's records).
"""
