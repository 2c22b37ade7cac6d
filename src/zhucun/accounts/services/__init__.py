"""Account services: users (create, bulk for posted cadres, disable/enable, password reset and
change) and API tokens. Who may manage whom: ``scope``."""

from .passwords import one_time_password, password_validate
from .scope import MANAGER_ROLES, is_manager, user_managed, users_manageable
from .tokens import token_create, token_expiry, token_revoke, tokens_list
from .users import (
    SCOPE_HELP,
    password_change,
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
    "one_time_password",
    "password_change",
    "password_validate",
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
