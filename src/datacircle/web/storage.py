"""Static files: hashed names for long caching, compressed copies of our own assets.

The API reference page (django-ninja's Swagger UI) brings megabytes of JavaScript and source
maps. Compressing them at every `collectstatic` (every start) took most of a minute, for a page
only developers open, so they are served as they are; ReDoc, which we do not use, is not
collected at all (see `StaticFilesConfig` below).
"""

from __future__ import annotations

from django.contrib.staticfiles.apps import StaticFilesConfig
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

UNCOMPRESSED_PREFIXES = ("ninja/",)


class SelectiveCompressor(Compressor):
    def should_compress(self, filename: str) -> bool:
        relative = filename.replace("\\", "/")
        if any(relative.startswith(p) or f"/{p}" in relative for p in UNCOMPRESSED_PREFIXES):
            return False
        return not relative.endswith(".map") and super().should_compress(filename)


class StaticStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return SelectiveCompressor(**kwargs)


class StaticFiles(StaticFilesConfig):
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "redoc.standalone.js*"]
