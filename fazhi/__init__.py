"""fazhi (法治): the platform for a city's rule-of-law government plan."""

__version__ = "0.1.0"
