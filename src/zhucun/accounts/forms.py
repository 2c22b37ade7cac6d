"""The login form of the web: Django's AuthenticationForm with login throttling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses while the account or the client address is locked (accounts.throttle), before
    the password is checked; counts each failure; a success clears the account's counter."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request is not None else ""
        refusal = throttle.login_refusal(username=username, address=address)
        if refusal is not None:
            raise forms.ValidationError(refusal, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            if getattr(exc, "code", None) in ("invalid_login", "inactive"):
                throttle.login_failed(username=username, address=address)
            raise
        throttle.login_succeeded(username=username)
        return cleaned
