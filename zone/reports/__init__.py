"""Residents' quarterly and annual reports on their activity agreements (DOMAIN.md "Reporting")."""
