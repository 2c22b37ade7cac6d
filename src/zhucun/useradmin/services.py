"""The services of account management, in one place for the pages, API and commands."""

from .scope import MANAGER_ROLES, is_manager, user_managed, users_manageable
from .tokens import token_create, token_expiry, token_revoke, tokens_list
from .users import (
    SCOPE_HELP,
    user_create,
    user_disable,
    user_enable,
    user_password_reset,
    users_create_for_cadres,
)

__all__ = [
    "MANAGER_ROLES",
    "SCOPE_HELP",
    "is_manager",
    "token_create",
    "token_expiry",
    "token_revoke",
    "tokens_list",
    "user_create",
    "user_disable",
    "user_enable",
    "user_managed",
    "user_password_reset",
    "users_create_for_cadres",
    "users_manageable",
]
