"""mentor-tui: keyboard-driven casework for BoligSocialt Hus frontline staff (Odense, 2024-2028)."""

__version__ = "0.1.0"
