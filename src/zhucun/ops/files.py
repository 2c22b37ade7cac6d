"""Files of a backup: SHA-256 sums (``SHA256SUMS`` in ``sha256sum`` format, so
``sha256sum -c SHA256SUMS`` checks a backup without zhucun) and copies of directory trees."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

SUMS = "SHA256SUMS"
_CHUNK = 1024 * 1024
# files an upload leaves while it is being written (rotation/storage.py); not data yet
_PARTIAL_PREFIX = ".upload-"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def walk(root: Path) -> Iterator[Path]:
    """Every regular file under ``root``, sorted, as paths relative to it."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root)


def copy_tree(src: Path, dst: Path) -> list[Path]:
    """Copy the regular files of ``src`` into ``dst`` (kept relative); partial uploads are
    left out. Returns the relative paths copied."""
    copied = []
    for rel in walk(src):
        if rel.name.startswith(_PARTIAL_PREFIX):
            continue
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / rel, target)
        copied.append(rel)
    return copied


def write_sums(root: Path) -> dict[str, str]:
    """Write ``SHA256SUMS`` for every file under ``root`` (but itself); returns {path: sum}."""
    sums = {rel.as_posix(): sha256_of(root / rel) for rel in walk(root) if rel.as_posix() != SUMS}
    text = "".join(f"{digest}  {rel}\n" for rel, digest in sums.items())
    (root / SUMS).write_text(text, encoding="utf-8")
    return sums


def read_sums(root: Path) -> dict[str, str]:
    text = (root / SUMS).read_text(encoding="utf-8")
    sums = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        digest, _, rel = line.partition("  ")
        sums[rel.lstrip("*")] = digest.strip()
    return sums


def check_sums(root: Path) -> list[str]:
    """Problems (Chinese) found comparing the files under ``root`` with ``SHA256SUMS``:
    changed, missing and unlisted files. Empty when the backup is intact."""
    if not (root / SUMS).is_file():
        return [f"缺少校验文件 {SUMS}(备份不完整)"]
    expected = read_sums(root)
    present = {rel.as_posix() for rel in walk(root)} - {SUMS}
    problems = []
    for rel, digest in expected.items():
        if rel not in present:
            problems.append(f"缺少文件 {rel}")
        elif sha256_of(root / rel) != digest:
            problems.append(f"文件 {rel} 的 SHA-256 与备份时不符")
    for rel in sorted(present - set(expected)):
        problems.append(f"多出未登记的文件 {rel}")
    return problems


def fsync_tree(root: Path) -> None:
    """Flush the backup's files and directories to disk before it is declared complete."""
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            fd = os.open(Path(dirpath) / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fd = os.open(dirpath, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
