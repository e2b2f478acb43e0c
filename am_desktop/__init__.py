"""AM Desktop: the account manager's portfolio, renewals, notes and KPIs, offline first."""

__version__ = "0.1.0"
