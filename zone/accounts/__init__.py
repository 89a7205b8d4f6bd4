"""Accounts: people, their roles, sign-in, passwords and API tokens."""
