"""Screens: one Screen or ModalScreen per module."""
