"""The shared catalogue API, version 1 (`/api/v1/`): published modules, organisations and reach,
readable by anyone; module imports and deliveries written with an organisation's token.

Every answer is JSON, errors included (`{"detail": …, "errors": […]}`), and nothing in it names
a person (see `schemas`). docs/api.md describes it for people; `/api/v1/openapi.json` for tools.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.urls import include, path, re_path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query, Status, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from datacircle.catalogue import schemas, services
from datacircle.catalogue.auth import TokenAuth

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
# Path parameters with an example that exists on every installation (the starter library).
ORGANISATION = Path(
    ...,
    description="slug; datacircle: starter library",
    example="datacircle",
)
SLUG = Path(..., description="the module's slug", example="spreadsheet-habits")
NUMBER = Path(..., description="version number, from 1", example=1)
NAMESPACE = "catalogue-api"

api = NinjaAPI(
    title="Data Circle catalogue",
    version="1",
    description="Published session modules, the organisations of the network and the reach of "
    "their deliveries, shared between Data Circle installations. Reading needs no "
    "authentication; writing needs an organisation's token (`Authorization: Bearer dc_…`). "
    "Counts of people under 5 are shown as “<5”. See docs/api.md.",
    urls_namespace=NAMESPACE,
    # The bundled Swagger UI (ninja's static files), and no badge fetched from swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
token = TokenAuth()

COMMON_ERRORS = {400: schemas.Error, 422: schemas.Error}
WRITE_ERRORS = {**COMMON_ERRORS, 401: schemas.Error, 403: schemas.Error, 404: schemas.Error}


# ---------------------------------------------------------------- errors as JSON


def _error(request, status: int, detail: str, errors: list[dict] | None = None, headers=None):
    response = api.create_response(
        request, {"detail": detail, "errors": errors or []}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(services.ApiError)
def _api_error(request, exc: services.ApiError):
    return _error(request, exc.status, exc.detail, exc.errors)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return _error(request, exc.status_code, str(exc), headers=headers)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(
        request,
        401,
        _("Writing needs an API token: send “Authorization: Bearer <token>”."),
        headers={"WWW-Authenticate": "Bearer"},
    )


def _field(loc: tuple) -> str:
    """("query", "page") → "page"; ("body", "payload", "held_on") → "held_on"; the whole
    body → ""."""
    if loc[:1] == ("body",):
        return ".".join(str(part) for part in loc[2:])
    return ".".join(str(part) for part in loc[1:])


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = [
        {
            "line": None,
            "column": None,
            "field": _field(tuple(error.get("loc", ()))),
            "message": str(error.get("msg", "")),
        }
        for error in exc.errors
    ]
    detail = _("Invalid request: %(problems)s.") % {
        "problems": "; ".join(f"{e['field'] or _('body')}: {e['message']}" for e in errors)
    }
    return _error(request, 422, detail, errors)


# ---------------------------------------------------------------- urls


def _absolute(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(f"{NAMESPACE}:{name}", kwargs=kwargs))


def _summary(request, entry: services.Entry) -> dict:
    m, version, module = entry.file, entry.version, entry.module
    pulled = getattr(module, "pulled", None)
    origin = None
    if pulled is not None:
        origin = {
            "peer": pulled.peer.url,
            "reference": pulled.reference,
            "url": pulled.html_url or pulled.remote_url,
        }
    return {
        "reference": f"{entry.organisation}/{module.slug}",
        "organisation": entry.organisation,
        "slug": module.slug,
        "title": m.title,
        "summary": m.summary,
        "language": m.language,
        "skills": list(m.skills),
        "level": m.level,
        "duration": m.duration,
        "unplugged": m.unplugged,
        "licence": m.licence,
        "version": version.number,
        "published_at": version.published_at,
        "sha256": services.sha256(version.source),
        "translation_of": m.translation_of,
        "derived_from": m.derived_from,
        "origin": origin,
        "url": _absolute(request, "module", organisation=entry.organisation, slug=module.slug),
        "html_url": request.build_absolute_uri(reverse("library-module", args=[module.pk])),
    }


def _page_url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")


# ---------------------------------------------------------------- reading


@api.get(
    "/", response=schemas.Root, url_name="root", operation_id="catalogue", summary="This catalogue"
)
def root(request):
    return {
        "name": settings.DATACIRCLE_INSTANCE_NAME,
        "software": "Data Circle",
        "api_version": "1",
        "links": {
            "modules": _absolute(request, "modules"),
            "organisations": _absolute(request, "organisations"),
            "deliveries": _absolute(request, "deliveries"),
            "openapi": _absolute(request, "openapi-json"),
        },
    }


@api.get(
    "/organisations",
    response=schemas.OrganisationList,
    url_name="organisations",
    operation_id="list_organisations",
    summary="Every organisation, by slug",
)
def organisations(request):
    from datacircle.accounts.models import Organisation

    rows = Organisation.objects.select_related("parent", "pulled__peer").order_by("slug")
    results = []
    for organisation in rows:
        pulled = getattr(organisation, "pulled", None)
        results.append(
            {
                "slug": organisation.slug,
                "name": organisation.name,
                "short_name": organisation.short_name,
                "kind": organisation.kind,
                "country": str(organisation.country or ""),
                "parent": organisation.parent.slug if organisation.parent_id else None,
                "pulled_from": pulled.peer.url if pulled is not None else None,
            }
        )
    return {"count": len(results), "results": results}


def _since(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise services.ApiError(
            400,
            _("changed_since is out of range."),
            [{"line": None, "column": None, "field": "changed_since", "message": _("too far")}],
        ) from None


@api.get(
    "/modules",
    response={200: schemas.ModulePage, **COMMON_ERRORS},
    url_name="modules",
    operation_id="list_modules",
    summary="Published modules (latest published version of each)",
)
def modules(
    request,
    page: int = Query(1, ge=1, le=10**9),
    page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
    language: str = Query("", pattern=r"^(en|fr|es|ar)?$", description="en, fr, es or ar"),
    skill: str = Query("", pattern=r"^([a-z][a-z0-9-]{0,79})?$", description="a skill code"),
    organisation: str = Query(
        "", pattern=r"^([-a-zA-Z0-9_]{1,80})?$", description="slug; datacircle: starter library"
    ),
    changed_since: schemas.IsoDateTime | None = Query(  # noqa: B008 (ninja's way)
        None, description="only modules whose latest version was published at or after this"
    ),
):
    offset = (page - 1) * page_size
    count, entries = services.listing(
        offset=offset,
        limit=page_size,
        organisation=organisation,
        language=language,
        skill=skill,
        changed_since=_since(changed_since),
    )
    return {
        "count": count,
        "next": _page_url(request, page + 1) if offset + page_size < count else None,
        "previous": _page_url(request, min(page - 1, -(-count // page_size)))
        if page > 1 and count
        else None,
        "results": [_summary(request, entry) for entry in entries],
    }


def _not_found(reference: str):
    return services.ApiError(
        404, _("No published module %(reference)s here.") % {"reference": reference}
    )


@api.get(
    "/modules/{organisation}/{slug}",
    response={200: schemas.ModuleDetail, 404: schemas.Error},
    url_name="module",
    operation_id="get_module",
    summary="A published module: its latest version's file and every version",
)
def module(request, organisation: str = ORGANISATION, slug: str = SLUG):
    entry = services.entry(organisation, slug)
    if entry is None:
        raise _not_found(f"{organisation}/{slug}")
    body = _summary(request, entry)
    body["source"] = entry.version.source
    body["versions"] = [
        {
            "number": v.number,
            "published_at": v.published_at,
            "sha256": services.sha256(v.source),
            "url": _absolute(
                request, "module-version", organisation=organisation, slug=slug, number=v.number
            ),
        }
        for v in services.versions(entry.module)
    ]
    return body


@api.get(
    "/modules/{organisation}/{slug}/versions/{number}",
    response={200: schemas.VersionOut, 404: schemas.Error, 422: schemas.Error},
    url_name="module-version",
    operation_id="get_module_version",
    summary="One published version of a module",
)
def module_version(
    request, organisation: str = ORGANISATION, slug: str = SLUG, number: int = NUMBER
):
    found = services.version(organisation, slug, number)
    if found is None:
        raise services.ApiError(
            404,
            _("No published version %(number)s of %(reference)s here.")
            % {"number": number, "reference": f"{organisation}/{slug}"},
        )
    return {
        "number": found.number,
        "published_at": found.published_at,
        "sha256": services.sha256(found.source),
        "source": found.source,
    }


@api.get(
    "/deliveries",
    response={200: schemas.ReachOut, **COMMON_ERRORS},
    url_name="deliveries",
    operation_id="get_reach",
    summary="Deliveries and people reached: the network pages' tables, by country, organisation, module, year, language or city",
)
def deliveries(
    request,
    by: str = Query(
        "country",
        max_length=200,
        description="the table: one of " + "; ".join(services.TABLES),
    ),
    module: str = Query(
        "", pattern=r"^([-a-zA-Z0-9_]{1,80}/[-a-zA-Z0-9_]{1,80})?$", description="organisation/slug"
    ),
    organisation: str = Query("", pattern=r"^([-a-zA-Z0-9_]{1,80})?$"),
    country: str = Query("", pattern=r"^([A-Z]{2})?$", description="ISO 3166-1 alpha-2"),
    year: int | None = Query(None, ge=1, le=9999),
    language: str = Query("", pattern=r"^(en|fr|es|ar)?$"),
):
    """The same tables as the network pages, from the same small-cell suppression, so that no
    two publications can be set side by side to work out a small count. Filters keep the rows
    of the table that match (a filter must be a dimension of the table); the total is always
    the whole network's."""
    dimensions = tuple(part.strip() for part in by.split(",") if part.strip())
    table = services.reach(
        dimensions,
        module=module,
        organisation=organisation,
        country=country,
        year=year,
        language=language,
    )

    def count(row) -> dict:
        return {
            "deliveries": row.deliveries,
            "participants": row.participants.value,
            "participants_shown": str(row.participants),
        }

    return {
        "dimensions": list(table.dimensions),
        "k": table.k,
        "total": count(table.total),
        "rows": [
            {"key": dict(zip(table.dimensions, row.key, strict=True)), **count(row)}
            for row in table.rows
        ],
    }


# ---------------------------------------------------------------- writing


@api.post(
    "/modules",
    auth=token,
    response={200: schemas.ImportOut, 201: schemas.ImportOut, 409: schemas.Error, **WRITE_ERRORS},
    operation_id="import_module",
    summary="Import a module file for the token's organisation",
)
def import_module(request, payload: schemas.ModuleIn):
    imported = services.import_source(request.auth.organisation, payload.source)
    entry = services.entry(imported.module.organisation_slug, imported.module.slug)
    body = {
        "result": imported.result,
        "reference": imported.module.reference,
        "status": imported.module.status,
        "module": _summary(request, entry) if entry else None,
        "unresolved": imported.unresolved,
    }
    return Status(200 if imported.result == "unchanged" else 201, body)


@api.post(
    "/deliveries",
    auth=token,
    response={201: schemas.DeliveryOut, **WRITE_ERRORS},
    operation_id="record_delivery",
    summary="Record a delivery of a published module by the token's organisation",
)
def record_delivery(request, payload: schemas.DeliveryIn):
    organisation = request.auth.organisation
    delivery = services.record_delivery(
        organisation,
        **payload.model_dump(),
        recorded_by=request.auth.created_by,
    )
    return Status(
        201,
        {
            "id": delivery.pk,
            "module": payload.module,
            "version": payload.version,
            "organisation": organisation.slug,
            "held_on": delivery.held_on,
            "country": str(delivery.country or ""),
            "city": delivery.city,
            "online": delivery.online,
            "language": delivery.language,
            "participants": delivery.participants,
        },
    )


# ---------------------------------------------------------------- mounting


def _json_not_allowed(view):
    """Ninja answers a method an address does not take with plain text; say it in JSON too."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            answer = JsonResponse(
                {
                    "detail": _("%(method)s is not allowed here; use %(allowed)s.")
                    % {"method": request.method, "allowed": allowed},
                    "errors": [],
                },
                status=405,
            )
            answer["Allow"] = allowed
            return answer
        return response

    return wrapped


def _no_such_address(request, rest: str = ""):
    return JsonResponse(
        {
            "detail": _("There is nothing at %(path)s; the catalogue starts at %(root)s.")
            % {"path": request.path, "root": reverse(f"{NAMESPACE}:root")},
            "errors": [],
        },
        status=404,
    )


def urls() -> list:
    """The API's url patterns, to mount under "api/v1/": every answer JSON, even for a method
    or an address the API does not have."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_not_allowed(pattern.callback)
    return [
        path("", include((patterns, app_name), namespace=namespace)),
        re_path(r"^(?P<rest>.*)$", _no_such_address),
    ]
