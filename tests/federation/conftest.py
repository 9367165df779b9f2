"""A fake peer: another Data Circle's catalogue API served from memory, counting every request,
so pulls are tested without a network (the live two-instance test uses a real one)."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SEED = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "datacircle"
    / "data"
    / "modules"
    / "data-literacy-warm-up.md"
)
PEER_SITE = "http://peer.example"
PEER_BASE = f"{PEER_SITE}/api/v1/"


def module_text(organisation: str, slug: str, version: int = 1, title: str | None = None) -> str:
    """A valid published module file of `organisation` (the starter warm-up, renamed)."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("id: data-literacy-warm-up", f"id: {slug}", 1)
    text = text.replace("organisation: datacircle", f"organisation: {organisation}", 1)
    text = text.replace("\nversion: 1\n", f"\nversion: {version}\n", 1)
    text = text.replace(
        'title: "Data literacy warm-up: what counts as data?"',
        f"title: {title or slug.replace('-', ' ').capitalize()} (version {version})",
        1,
    )
    return text


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class FakePeer:
    """The catalogue API of a peer: organisations, and each module's published versions."""

    name: str = "Circle of the Sahel"
    organisations: list[dict] = field(default_factory=list)
    modules: dict[str, list[str]] = field(default_factory=dict)  # reference -> version texts
    page_size: int = 2  # small, so pulls follow `next`
    requests: list[str] = field(default_factory=list)
    overrides: dict[str, tuple[int, bytes]] = field(default_factory=dict)

    def organisation(self, slug, name, kind="national_society", country="", parent=None):
        self.organisations.append(
            {
                "slug": slug,
                "name": name,
                "short_name": name[:10],
                "kind": kind,
                "country": country,
                "parent": parent,
                "pulled_from": None,
            }
        )

    def publish(self, text: str) -> None:
        front = dict(
            line.split(": ", 1) for line in text.split("\n---\n")[0].splitlines() if ": " in line
        )
        self.modules.setdefault(f"{front['organisation']}/{front['id']}", []).append(text)

    def detail_url(self, reference: str) -> str:
        return f"{PEER_BASE}modules/{reference}"

    def details_fetched(self) -> list[str]:
        return [url for url in self.requests if url.startswith(f"{PEER_BASE}modules/")]

    def summary(self, reference: str) -> dict:
        texts = self.modules[reference]
        organisation, slug = reference.split("/")
        return {
            "reference": reference,
            "organisation": organisation,
            "slug": slug,
            "title": slug,
            "summary": "",
            "language": "en",
            "skills": ["data-literacy"],
            "level": 0,
            "duration": 45,
            "unplugged": True,
            "licence": "CC-BY-4.0",
            "version": len(texts),
            "published_at": "2026-01-01T00:00:00Z",
            "sha256": sha(texts[-1]),
            "translation_of": None,
            "derived_from": None,
            "origin": None,
            "url": self.detail_url(reference),
            "html_url": f"{PEER_SITE}/library/{reference}/",
        }

    def __call__(self, url: str) -> tuple[int, bytes]:
        self.requests.append(url)
        if url in self.overrides:
            return self.overrides[url]
        parts = urllib.parse.urlsplit(url)
        path = f"{parts.scheme}://{parts.netloc}{parts.path}"
        query = dict(urllib.parse.parse_qsl(parts.query))
        if path == PEER_BASE:
            return self._json(
                {
                    "name": self.name,
                    "software": "Data Circle",
                    "api_version": "1",
                    "links": {
                        "modules": f"{PEER_BASE}modules",
                        "organisations": f"{PEER_BASE}organisations",
                        "deliveries": f"{PEER_BASE}deliveries",
                        "openapi": f"{PEER_BASE}openapi.json",
                    },
                }
            )
        if path == f"{PEER_BASE}organisations":
            return self._json({"count": len(self.organisations), "results": self.organisations})
        if path == f"{PEER_BASE}modules":
            page = int(query.get("page", 1))
            references = sorted(self.modules)
            chunk = references[(page - 1) * self.page_size : page * self.page_size]
            more = page * self.page_size < len(references)
            return self._json(
                {
                    "count": len(references),
                    "next": f"{PEER_BASE}modules?page={page + 1}&page_size={self.page_size}"
                    if more
                    else None,
                    "previous": None,
                    "results": [self.summary(r) for r in chunk],
                }
            )
        if path.startswith(f"{PEER_BASE}modules/"):
            reference = path.removeprefix(f"{PEER_BASE}modules/")
            if reference in self.modules:
                texts = self.modules[reference]
                return self._json(
                    {
                        **self.summary(reference),
                        "source": texts[-1],
                        "versions": list(range(1, len(texts) + 1)),
                    }
                )
        return 404, b'{"detail": "Not Found"}'

    @staticmethod
    def _json(data) -> tuple[int, bytes]:
        return 200, json.dumps(data).encode("utf-8")


@pytest.fixture
def fake_peer(network) -> FakePeer:
    """A peer with a Ghanaian National Society under the IFRC (which exists here too), two of
    its modules, a starter module and a module of Kenya RC (managed here)."""
    peer = FakePeer()
    peer.organisation("ifrc", "IFRC", kind="secretariat", country="CH")
    peer.organisation("ghana-rc", "Ghana Red Cross Society", country="GH", parent="ifrc")
    peer.organisation("kenya-rc", "Kenya Red Cross Society", country="KE", parent="ifrc")
    peer.publish(module_text("ghana-rc", "counting-kits"))
    peer.publish(module_text("ghana-rc", "maps-on-paper"))
    peer.publish(module_text("datacircle", "data-literacy-warm-up"))
    peer.publish(module_text("kenya-rc", "kenyan-session"))
    return peer


@pytest.fixture
def peer_row(db):
    from datacircle.federation.models import Peer

    return Peer.objects.create(url=PEER_BASE, name="Circle of the Sahel")
