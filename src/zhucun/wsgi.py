"""The WSGI application: Django, with the phones' check-in POST taken first by the lean path
(``zhucun.api.fastpath``: same contract, group commit, no middleware work it does not need)."""

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhucun.settings")
django_application = get_wsgi_application()

from zhucun.api import fastpath  # noqa: E402 - needs the apps loaded above

# The check-in writer thread waits on the database ~15 times per batch; after each wait it
# must get the GIL back from request threads. With CPython's default 5 ms switch interval
# those hand-overs dominated a batch (convoy effect); 0.5 ms keeps the writer moving.
sys.setswitchinterval(float(os.environ.get("ZHUCUN_SWITCH_INTERVAL_MS", "0.5")) / 1000)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if fastpath.wants(environ):
        return fastpath.handle(environ, start_response)
    return django_application(environ, start_response)
