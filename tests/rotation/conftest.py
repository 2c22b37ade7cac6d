from __future__ import annotations

import datetime as dt

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
HANDOVER = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _attachments_dir(settings, tmp_path):
    settings.ZHUCUN_ATTACHMENTS_DIR = tmp_path / "files"
    return settings.ZHUCUN_ATTACHMENTS_DIR


@pytest.fixture
def other_county(world):
    from zhucun.accounts.models import User, UserRole
    from zhucun.registry.models import Jurisdiction

    return User.objects.create_user(
        "ruili_county",
        password="pw",
        role=UserRole.COUNTY,
        display_name="瑞丽市委组织部",
        jurisdiction=Jurisdiction.objects.get(code="533102000000"),
    )
