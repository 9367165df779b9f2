"""Reading Data Circle's configuration from the environment, with safe defaults.

Kept free of Django so the CLI can decide paths and the database before Django starts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name: str, default: str) -> list[str]:
    raw = os.environ.get(name) or default
    return [item.strip() for item in raw.split(",") if item.strip()]


def home() -> Path:
    """The folder that holds the embedded database, the secret key and collected assets."""
    path = Path(os.environ.get("DATACIRCLE_HOME") or ".datacircle").expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(base: Path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{base / 'datacircle.sqlite3'}"


def secret_key(base: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept (mode 0600) in base."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = base / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    # O_EXCL: when several workers start at once, exactly one writes and the others read it.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
