"""Passwords of the accounts: one-time passwords, the validators, the holder's own change.
Creating and managing accounts (and their API tokens) is ``zhucun.useradmin``: it needs the
registry's scopes, which stand above this app."""

from .passwords import one_time_hash, one_time_password, password_change, password_validate

__all__ = ["one_time_hash", "one_time_password", "password_change", "password_validate"]
