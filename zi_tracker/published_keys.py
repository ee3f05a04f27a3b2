"""Refusing a secret key anyone can read.

Whoever knows ``DJANGO_SECRET_KEY`` can forge sessions (sign in as anyone), password-reset
links and survey codes. A key written in one of the application's own files is known to
everyone who has the code: the development default, the placeholder of `.env.example`, a
key pasted into the README, a test or a compose file. So in production the key is looked
for in every file of the source tree; the files that hold the real configuration (`.env`)
and the application's working folders are not searched. Reading the tree takes a few
milliseconds at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

DEVELOPMENT_KEY = "dev-only-insecure-key-do-not-use-in-production"
GENERATE_COMMAND = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"

# Folders that are not the application's source: tools, caches and what it writes itself.
SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        "var",
        "media",
        "staticfiles",
        "node_modules",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "htmlcov",
        "test-artifacts",
    }
)
LARGEST_FILE = 8 * 1024 * 1024  # bytes; the tree's files are far smaller (vendored assets)


def _configuration_file(name: str) -> bool:
    """`.env` and its local variants hold the real key; the example does not."""
    return name == ".env" or (name.startswith(".env.") and name != ".env.example")


def published_in(key: str, root: Path, *, skip: Iterable[Path] = ()) -> Path | None:
    """The first file under `root` that contains `key` (relative to `root`), or None."""
    needle = key.encode()
    skipped = {Path(p).resolve() for p in skip}
    for folder, folders, files in os.walk(root):
        folders[:] = [
            name
            for name in folders
            if name not in SKIPPED_FOLDERS and (Path(folder) / name).resolve() not in skipped
        ]
        for name in files:
            if _configuration_file(name):
                continue
            path = Path(folder) / name
            try:
                if path.stat().st_size > LARGEST_FILE:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            if needle in data:
                return path.relative_to(root)
    return None


def secret_key_problem(key: str | None, root: Path, *, skip: Iterable[Path] = ()) -> str | None:
    """Why `key` must not sign anything in production, or None when it may."""
    how = f"Generate one with: {GENERATE_COMMAND}"
    if not key:
        return f"DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=false. {how}"
    if key == DEVELOPMENT_KEY:
        return f"DJANGO_SECRET_KEY is the development key, which is public. {how}"
    if len(key) < 50 or len(set(key)) < 5:
        return f"DJANGO_SECRET_KEY must be a random string of at least 50 characters. {how}"
    found = published_in(key, root, skip=skip)
    if found is not None:
        return (
            f"DJANGO_SECRET_KEY appears in {found}, a file of the application, so it is "
            f"public (a copied example, or a key written into the code). {how}"
        )
    return None
