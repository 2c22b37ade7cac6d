"""账号管理: who may manage whose account (``scope``), creating accounts one by one or for every
posted cadre of a jurisdiction, disabling, resetting passwords, API tokens. Above the registry
(its scopes decide whose account a manager manages); the accounts app below holds the model."""
