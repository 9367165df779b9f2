"""Import from a peer: pull the published modules of another Data Circle through its catalogue
API, keep where each one came from, and fetch again only what changed.

A pull reads the peer first (index, module list, organisations, the files of changed modules)
and then writes everything in one transaction: it is all or nothing, and the database is not
held while a slow peer answers. The HTTP fetch is a function passed in (`http_fetch` unless
told otherwise), so tests can run against a fake peer.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_countries import countries

import datacircle
from datacircle.accounts.models import Organisation
from datacircle.core import modules as core
from datacircle.core.i18n import gettext_noop, ngettext_lazy
from datacircle.core.taxonomy import builtin_taxonomy
from datacircle.federation.models import Peer, PulledModule, PulledOrganisation
from datacircle.library import services
from datacircle.library.models import STARTER, Module

API_PATH = "api/v1/"
SOFTWARE = "Data Circle"
API_VERSION = "1"
TIMEOUT = 20  # seconds a peer may take for one answer (per read, as urllib counts)
MAX_RESPONSE_BYTES = 4 << 20  # a page of 100 summaries or one module file is far smaller
PAGE_SIZE = 100
MAX_PAGES = 5000  # a peer whose `next` never ends is stopped here
USER_AGENT = f"DataCircle/{datacircle.__version__} (pull from a peer)"
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")

# fetch(url) -> (HTTP status, body); raises PullError when the peer cannot be reached.
Fetch = Callable[[str], tuple[int, bytes]]
# progress(done, total, step): the job's Progress or the command line's bar.
ProgressCallback = Callable[[int, int, str], None]


class PullError(Exception):
    """A pull that could not be done; the message says why, in words an admin can act on."""


# Reading the peer ---------------------------------------------------------------------------


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https addresses only (never ftp:, file: …)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise PullError(
                _("%(url)s redirects to %(target)s, which is not an http(s) address.")
                % {"url": req.full_url, "target": newurl}
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_Redirects)


def http_fetch(url: str) -> tuple[int, bytes]:
    """GET `url` with a timeout and a size limit: (status, body), or PullError."""
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        raise PullError(_("“%(url)s” is not an http:// or https:// address.") % {"url": url})
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_RESPONSE_BYTES:
                raise _too_big(url)
            body = response.read(MAX_RESPONSE_BYTES + 1)
            if len(body) > MAX_RESPONSE_BYTES:
                raise _too_big(url)
            return response.status, body
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, b""
    except urllib.error.URLError as error:
        raise PullError(
            _("Cannot reach %(url)s: %(reason)s.") % {"url": url, "reason": _reason(error.reason)}
        ) from error
    except (TimeoutError, http.client.HTTPException, OSError) as error:
        raise PullError(
            _("Cannot reach %(url)s: %(reason)s.") % {"url": url, "reason": _reason(error)}
        ) from error


def _too_big(url: str) -> PullError:
    return PullError(
        _("%(url)s answered with more than %(mb)d MB; a catalogue page is far smaller.")
        % {"url": url, "mb": MAX_RESPONSE_BYTES >> 20}
    )


def _reason(reason) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return _("connection refused (is the peer running, at this address and port?)")
    if isinstance(reason, TimeoutError):
        return _("no answer within %(seconds)d seconds") % {"seconds": TIMEOUT}
    if isinstance(reason, socket.gaierror):
        return _("unknown host name")
    return str(reason)


def normalise_base(url: str) -> str:
    """The catalogue address of a peer given by its site address or its API address:
    `https://circle.example.org` and `https://circle.example.org/api/v1` both give
    `https://circle.example.org/api/v1/`."""
    text = (url or "").strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise PullError(
            _("“%(url)s” is not an http:// or https:// address.") % {"url": text or "—"}
        )
    if parts.username or parts.password:
        raise PullError(_("Give the address without a user name or password."))
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError as error:
        raise PullError(_("“%(url)s” has an invalid port.") % {"url": text}) from error
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    if not path.endswith("/" + API_PATH):
        path += API_PATH
    base = urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))
    if len(base) > _max_length(Peer, "url"):
        raise PullError(_("This address is too long."))
    return base


def _on_peer(base: str, url: str, where: str) -> str:
    """An address the peer gave, checked to be on the peer's own host and fetched through the
    address we know it by (so a peer cannot send us to another machine)."""
    parts = urllib.parse.urlsplit(urllib.parse.urljoin(base, url))
    known = urllib.parse.urlsplit(base)
    if parts.scheme.lower() not in ("http", "https") or parts.hostname != known.hostname:
        raise _malformed(where, _("the address “%(url)s” is not on the peer") % {"url": url})
    return urllib.parse.urlunsplit((known.scheme, known.netloc, parts.path, parts.query, ""))


def _malformed(where: str, problem: str) -> PullError:
    return PullError(
        _("Not a Data Circle catalogue: %(where)s: %(problem)s.")
        % {"where": where, "problem": problem}
    )


def _get_json(fetch: Fetch, url: str):
    status, body = fetch(url)
    if status != 200:
        raise PullError(
            _("The peer answered %(status)d for %(url)s.") % {"status": status, "url": url}
        )
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _malformed(url, _("the answer is not JSON")) from error


def _field(data, key: str, kind: type | tuple, where: str, *, null: bool = False):
    """data[key], checked to be of `kind` (None allowed when `null`)."""
    if not isinstance(data, dict):
        raise _malformed(where, _("expected an object, found %(found)s") % {"found": _kind(data)})
    if key not in data:
        raise _malformed(where, _("“%(key)s” is missing") % {"key": key})
    value = data[key]
    if value is None and null:
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        raise _malformed(
            where,
            _("“%(key)s” should be %(expected)s, not %(found)s")
            % {
                "key": key,
                "expected": " / ".join(_kind_name(k) for k in kinds),
                "found": _kind(value),
            },
        )
    return value


def _kind_name(kind: type) -> str:
    names = {
        str: pgettext("kind of value in a file", "text"),
        int: _("a whole number"),
        list: _("a list"),
        dict: _("an object"),
    }
    return str(names.get(kind, kind.__name__))


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str):
        return f"“{value[:40]}”"
    if isinstance(value, int | float):
        return str(value)
    return _kind_name(type(value))


@dataclass(frozen=True)
class Index:
    """What a peer's catalogue says about itself."""

    base: str
    name: str
    modules_url: str
    organisations_url: str


def read_index(base: str, fetch: Fetch | None = None) -> Index:
    """Fetch and check the catalogue's index: a PullError unless it is a Data Circle's."""
    data = _get_json(fetch or http_fetch, base)
    if not isinstance(data, dict) or data.get("software") != SOFTWARE:
        raise _malformed(base, _("it does not say “software”: “%(name)s”") % {"name": SOFTWARE})
    version = _field(data, "api_version", str, base)
    if version != API_VERSION:
        raise PullError(
            _(
                "%(url)s speaks catalogue API version %(theirs)s; this Data Circle reads version %(ours)s."
            )
            % {"url": base, "theirs": version, "ours": API_VERSION}
        )
    links = _field(data, "links", dict, base)
    name = _field(data, "name", str, base).strip()[: _max_length(Peer, "name")]
    return Index(
        base=base,
        name=name,
        modules_url=_on_peer(base, _field(links, "modules", str, f"{base} links"), base),
        organisations_url=_on_peer(
            base, _field(links, "organisations", str, f"{base} links"), base
        ),
    )


def _pages(fetch: Fetch, first: str, base: str, progress: Callable[[int, int], None]):
    """The results of a listing, page after page (following `next`)."""
    url, seen, done = first, set(), 0
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise _malformed(url, _("its pages never end"))
        seen.add(url)
        data = _get_json(fetch, url)
        results = _field(data, "results", list, url)
        total = data.get("count") if isinstance(data.get("count"), int) else 0
        for number, item in enumerate(results):
            yield item, f"{url} results[{number}]"
        done += len(results)
        progress(done, max(total, done))
        following = data.get("next")
        if following is not None and not isinstance(following, str):
            raise _malformed(url, _("“next” should be an address or null"))
        url = _on_peer(base, following, url) if following else None


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _with_query(url: str, **params) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.update({key: str(value) for key, value in params.items()})
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


@dataclass(frozen=True)
class Summary:
    """One module of the peer's listing, as far as a pull uses it."""

    reference: str
    organisation: str
    slug: str
    version: int
    sha256: str
    url: str
    html_url: str


def _summary(item, where: str, base: str) -> Summary:
    organisation = _field(item, "organisation", str, where)
    slug = _field(item, "slug", str, where)
    reference = _field(item, "reference", str, where)
    if not SLUG.match(organisation) or not SLUG.match(slug):
        raise _malformed(
            where, _("“%(reference)s” is not a module reference") % {"reference": reference}
        )
    if reference != f"{organisation}/{slug}":
        raise _malformed(
            where,
            _("“reference” %(reference)s does not match its organisation and slug")
            % {"reference": reference},
        )
    version = _field(item, "version", int, where)
    if version < 1:
        raise _malformed(where, _("a published version is numbered from 1"))
    sha256 = _field(item, "sha256", str, where).lower()
    if not SHA256.match(sha256):
        raise _malformed(where, _("“sha256” is not a SHA-256 checksum"))
    html_url = _field(item, "html_url", str, where, null=True) or ""
    if html_url and urllib.parse.urlsplit(html_url).scheme.lower() not in ("http", "https"):
        raise _malformed(where, _("“html_url” is not an http(s) address"))
    return Summary(
        reference=reference,
        organisation=organisation,
        slug=slug,
        version=version,
        sha256=sha256,
        url=_on_peer(base, _field(item, "url", str, where), where),
        # An address too long to keep whole is better not linked than linked cut short.
        html_url=html_url if len(html_url) <= _max_length(PulledModule, "html_url") else "",
    )


@dataclass(frozen=True)
class RemoteOrganisation:
    slug: str
    name: str
    short_name: str
    kind: str
    country: str
    parent: str | None


def _organisation(item, where: str) -> RemoteOrganisation:
    slug = _field(item, "slug", str, where)
    name = _field(item, "name", str, where).strip()
    short_name = _field(item, "short_name", str, where, null=True) or ""
    kind = _field(item, "kind", str, where)
    country = (_field(item, "country", str, where, null=True) or "").upper()
    parent = _field(item, "parent", str, where, null=True)
    if not SLUG.match(slug) or len(slug) > 80:
        raise _malformed(where, _("“%(slug)s” is not an organisation identifier") % {"slug": slug})
    if not name or len(name) > 200 or len(short_name) > 40:
        raise _malformed(where, _("the name of “%(slug)s” is empty or too long") % {"slug": slug})
    if kind not in Organisation.Kind.values:
        raise _malformed(
            where,
            _("“kind” should be one of %(kinds)s") % {"kinds": ", ".join(Organisation.Kind.values)},
        )
    return RemoteOrganisation(
        slug=slug,
        name=name,
        short_name=short_name,
        kind=kind,
        country=country if country in countries else "",
        parent=parent,
    )


# The report ---------------------------------------------------------------------------------


@dataclass
class PullReport:
    """What a pull did (or, in a dry run, would do)."""

    peer: str = ""
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reference, reason)
    gone: list[str] = field(default_factory=list)  # pulled earlier, no longer offered
    organisations: list[str] = field(default_factory=list)  # created here
    unresolved: list[str] = field(default_factory=list)  # provenance links not found here
    dry_run: bool = False

    def as_dict(self) -> dict:
        """The shape kept in Peer.last_report (and a job's result)."""
        return {
            "peer": self.peer,
            "created": self.created,
            "updated": self.updated,
            "unchanged": len(self.unchanged),
            "skipped": [list(pair) for pair in self.skipped],
            "gone": self.gone,
            "organisations": self.organisations,
            "unresolved": self.unresolved,
            "dry_run": self.dry_run,
            "error": "",
        }


# Deciding what to pull ------------------------------------------------------------------------


@dataclass
class _Plan:
    index: Index
    report: PullReport
    organisations: dict[str, RemoteOrganisation] = field(default_factory=dict)  # to create
    # (summary, parsed module, file text, whether the module exists here already)
    changes: list[tuple[Summary, core.Module, str, bool]] = field(default_factory=list)


def _read(peer: Peer, fetch: Fetch, tell: Callable[[int, int, str], None]) -> _Plan:
    tell(0, 0, gettext_noop("Reading the catalogue of %(url)s", url=peer.url))
    index = read_index(peer.url, fetch)
    report = PullReport(peer=index.name or peer.url)
    plan = _Plan(index=index, report=report)

    listing = _with_query(index.modules_url, page=1, page_size=PAGE_SIZE)
    summaries: dict[str, Summary] = {}
    for item, where in _pages(
        fetch,
        listing,
        peer.url,
        lambda done, total: tell(done, total, gettext_noop("Listing modules")),
    ):
        summary = _summary(item, where, peer.url)
        summaries.setdefault(summary.reference, summary)  # a page shift may repeat one

    local_organisations = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in={s.organisation for s in summaries.values()}
        ).select_related("pulled__peer")
    }
    local_modules = {
        m.reference: m
        for m in Module.objects.filter(organisation__pulled__peer=peer).select_related(
            "organisation", "pulled"
        )
    }
    remote_organisations: dict[str, RemoteOrganisation] | None = None
    wanted: list[tuple[Summary, Module | None]] = []
    for summary in summaries.values():
        reason = _foreign(summary, local_organisations.get(summary.organisation), peer)
        if reason is None and summary.organisation not in local_organisations:
            if remote_organisations is None:
                remote_organisations = _remote_organisations(fetch, index, tell)
            found = remote_organisations.get(summary.organisation)
            if found is None:
                reason = _("the peer does not describe the organisation “%(slug)s”") % {
                    "slug": summary.organisation
                }
            else:
                plan.organisations[found.slug] = found
        if reason is None:
            module = local_modules.get(summary.reference)
            reason = _stale(summary, module, peer)
            if reason == "unchanged":
                report.unchanged.append(summary.reference)
                continue
            if reason is None:
                wanted.append((summary, module))
                continue
        report.skipped.append((summary.reference, str(reason)))

    report.gone = sorted(
        PulledModule.objects.filter(peer=peer)
        .exclude(reference__in=list(summaries))
        .values_list("reference", flat=True)
    )
    codes = builtin_taxonomy().codes
    for done, (summary, module) in enumerate(wanted):
        tell(done, len(wanted), gettext_noop("Fetching %(reference)s", reference=summary.reference))
        m, text = _fetch_module(fetch, summary, codes)
        plan.changes.append((summary, m, text, module is not None))
    fetched = ngettext_lazy(
        "Fetched %(n)d changed module", "Fetched %(n)d changed modules", len(wanted), n=len(wanted)
    )
    tell(len(wanted), len(wanted), fetched)
    return plan


def _foreign(summary: Summary, local: Organisation | None, peer: Peer) -> str | None:
    """Why a module of the peer is not ours to pull, or None."""
    if summary.organisation == STARTER:
        return _("starter library: every Data Circle has it")
    if local is None:
        return None
    # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
    pulled = getattr(local, "pulled", None)
    if pulled is None:
        return _("“%(organisation)s” is managed here") % {"organisation": local.name}
    if pulled.peer_id != peer.pk:
        return _("“%(organisation)s” is pulled from another peer, %(peer)s") % {
            "organisation": local.name,
            "peer": pulled.peer,
        }
    return None


def _stale(summary: Summary, module: Module | None, peer: Peer) -> str | None:
    """None when the module should be fetched, "unchanged", or why it is skipped."""
    if module is None:
        return None
    pulled = getattr(module, "pulled", None)
    if pulled is not None:
        if pulled.peer_id != peer.pk:
            return _("pulled from another peer, %(peer)s") % {"peer": pulled.peer}
        if (pulled.version, pulled.sha256) == (summary.version, summary.sha256):
            return "unchanged"
        if summary.version < pulled.version:
            return _("the peer offers version %(theirs)d, older than version %(ours)d here") % {
                "theirs": summary.version,
                "ours": pulled.version,
            }
        if summary.version == pulled.version:
            return _("version %(n)d changed on the peer after it was published") % {
                "n": summary.version
            }
    latest = module.latest_version
    if latest is not None and module.source != latest.source:
        return _("someone here is changing it (a draft not published): not overwritten")
    return None


def _remote_organisations(fetch: Fetch, index: Index, tell) -> dict[str, RemoteOrganisation]:
    found: dict[str, RemoteOrganisation] = {}
    for item, where in _pages(
        fetch,
        index.organisations_url,
        index.base,
        lambda done, total: tell(done, total, gettext_noop("Reading organisations")),
    ):
        organisation = _organisation(item, where)
        found.setdefault(organisation.slug, organisation)
    return found


def _fetch_module(fetch: Fetch, summary: Summary, codes) -> tuple[core.Module, str]:
    detail = _get_json(fetch, summary.url)
    text = _field(detail, "source", str, summary.url)
    if _field(detail, "version", int, summary.url) != summary.version:
        raise _malformed(
            summary.url,
            _("the listing offers version %(n)d, the module's page another")
            % {"n": summary.version},
        )
    if len(text.encode("utf-8")) > core.MAX_MODULE_BYTES:
        raise _malformed(summary.url, _("the module file is larger than 1 MB"))
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != summary.sha256:
        raise _malformed(summary.url, _("the module file does not match its SHA-256 checksum"))
    try:
        m = core.parse(text, source=summary.url, skill_codes=codes)
    except core.ModuleFormatError as error:
        raise PullError(
            _("%(reference)s from the peer is not a valid module file: %(problems)s")
            % {
                "reference": summary.reference,
                "problems": "; ".join(str(p) for p in error.problems[:5]),
            }
        ) from error
    if m.reference != summary.reference:
        raise _malformed(
            summary.url,
            _("the file is module “%(found)s”, not “%(reference)s”")
            % {"found": m.reference, "reference": summary.reference},
        )
    if m.status != Module.Status.PUBLISHED or m.version != summary.version:
        raise _malformed(
            summary.url,
            _("the file is not published version %(n)d of the module") % {"n": summary.version},
        )
    return m, text


# Writing ------------------------------------------------------------------------------------


def _apply(peer: Peer, plan: _Plan, dry_run: bool) -> None:
    report = plan.report
    with transaction.atomic():
        Peer.objects.select_for_update().filter(pk=peer.pk).first()  # one pull of a peer at once
        now = timezone.now()
        created = {}
        for slug, remote in sorted(plan.organisations.items()):
            created[slug] = Organisation.objects.create(
                slug=slug,
                name=remote.name,
                short_name=remote.short_name,
                kind=remote.kind,
                country=remote.country,
            )
            PulledOrganisation.objects.create(organisation=created[slug], peer=peer)
            report.organisations.append(slug)
        for slug, organisation in created.items():
            _link_parent(organisation, plan.organisations[slug].parent)
        try:
            imported = services.import_modules((m, text) for _s, m, text, _e in plan.changes)
        except services.LibraryError as error:
            raise PullError(str(error)) from error
        for summary, _m, _text, existed in plan.changes:
            PulledModule.objects.update_or_create(
                module=services.find(summary.reference),
                defaults={
                    "peer": peer,
                    "reference": summary.reference,
                    "remote_url": summary.url,
                    "html_url": summary.html_url,
                    "version": summary.version,
                    "sha256": summary.sha256,
                    "pulled_at": now,
                },
            )
            (report.updated if existed else report.created).append(summary.reference)
        report.unresolved = list(imported.unresolved)
        if dry_run:
            transaction.set_rollback(True)
            return
        peer.last_pulled_at = now
        peer.last_status = Peer.Status.OK
        peer.last_report = report.as_dict()
        peer.name = peer.name or plan.index.name
        peer.save(update_fields=["last_pulled_at", "last_status", "last_report", "name"])


def _link_parent(organisation: Organisation, parent: str | None) -> None:
    """The peer's parent organisation, when it is here too (and makes no loop)."""
    if not parent or parent == organisation.slug:
        return
    organisation.parent = Organisation.objects.filter(slug=parent).first()
    if organisation.parent is None:
        return
    try:
        organisation.clean()
    except ValidationError:
        return
    organisation.save(update_fields=["parent"])


def _record_failure(peer: Peer, message: str) -> None:
    peer.last_pulled_at = timezone.now()
    peer.last_status = Peer.Status.FAILED
    peer.last_report = {"peer": peer.name or peer.url, "error": message, "dry_run": False}
    Peer.objects.filter(pk=peer.pk).update(
        last_pulled_at=peer.last_pulled_at,
        last_status=peer.last_status,
        last_report=peer.last_report,
    )


def pull(
    peer: Peer,
    *,
    fetch: Fetch | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> PullReport:
    """Pull the peer's published modules; all or nothing. The peer's last_* fields record the
    outcome, a failure too (a dry run records nothing). Raises PullError on failure."""

    def tell(done: int, total: int, step: str) -> None:
        if progress is not None:
            progress(done, total, step)

    try:
        plan = _read(peer, fetch or http_fetch, tell)
        plan.report.dry_run = dry_run
        tell(0, 0, gettext_noop("Saving"))
        _apply(peer, plan, dry_run)
    except PullError as error:
        if not dry_run:
            _record_failure(peer, str(error))
        raise
    except Exception as error:
        if not dry_run:
            _record_failure(peer, _("Internal error: %(error)s") % {"error": type(error).__name__})
        raise
    return plan.report


def check_new_peer(url: str, fetch: Fetch | None = None) -> Index:
    """The index of a catalogue that may become a peer: a PullError when the address is not
    http(s), is a peer already, or does not answer as a Data Circle catalogue."""
    base = normalise_base(url)
    existing = Peer.objects.filter(url=base).first()
    if existing is not None:
        raise PullError(
            _("%(url)s is already a peer (%(name)s).") % {"url": base, "name": existing}
        )
    return read_index(base, fetch)


def add_peer(url: str, *, added_by=None, fetch: Fetch | None = None) -> Peer:
    """A new peer, once its address answers as a Data Circle catalogue."""
    index = check_new_peer(url, fetch)
    return Peer.objects.create(url=index.base, name=index.name, added_by=added_by)
