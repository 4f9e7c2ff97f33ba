"""tolltrack: a ledger of casualty claims read from the news."""

__version__ = "0.1.0"
