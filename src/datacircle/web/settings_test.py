"""Settings for the test suite: the real settings, with a throwaway home and fast hashing.

DATABASE_URL still decides the database, so the same suite runs on SQLite and PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("DATACIRCLE_HOME", tempfile.mkdtemp(prefix="datacircle-test-"))

from datacircle.web.settings import *  # noqa: E402,F403
from datacircle.web.settings import STATIC_ROOT, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(exist_ok=True)
# Jobs run when the request's transaction commits, in the test's own thread.
DATACIRCLE_JOBS = "inline"
