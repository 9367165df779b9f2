"""Configuration from the environment: generated secret key, default database, lists and flags."""

import os
import stat

from datacircle.web import config


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) >= 50
    assert config.secret_key(tmp_path) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert config.secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_home(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url(tmp_path) == f"sqlite:///{tmp_path / 'datacircle.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://db/datacircle")
    assert config.database_url(tmp_path) == "postgres://db/datacircle"


def test_home_defaults_to_a_folder_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("DATACIRCLE_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    assert config.home() == tmp_path / ".datacircle"
    assert (tmp_path / ".datacircle").is_dir()


def test_lists_and_flags(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " circle.example.org, ,localhost")
    assert config.env_list("ALLOWED_HOSTS", "x") == ["circle.example.org", "localhost"]
    monkeypatch.setenv("DEBUG", "yes")
    assert config.env_flag("DEBUG") is True
    monkeypatch.setenv("DEBUG", "0")
    assert config.env_flag("DEBUG") is False
    monkeypatch.delenv("DEBUG")
    assert config.env_flag("DEBUG") is False


def test_debug_is_off_by_default():
    from django.conf import settings

    assert settings.DEBUG is False
