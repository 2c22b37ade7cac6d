"""Operations: consistent backups (``zhucun backup``) and their restore (``zhucun restore``).
The deployment templates and their renderer live outside the package, in ``deploy/``
(docs/DEPLOY.md)."""
