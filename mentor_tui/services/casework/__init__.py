"""Casework: the plan's rules and the service that registers referrals, starts, meetings and closures.

``service`` holds :class:`~mentor_tui.services.casework.service.CaseworkService`; ``rules`` the plan's
rules (each citing ``../shared/DOMAIN.md``).
"""
