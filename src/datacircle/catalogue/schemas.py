"""The shapes of the catalogue API's requests and responses (they make its OpenAPI document).

Nothing here names a person: modules, organisations and counts only. The one place people's
names can appear is a module file's `contributors` list inside `source`, the public credit
its licence asks for.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StrictBool, StrictInt

SLUG = r"^[-a-zA-Z0-9_]{1,80}$"  # what a Django slug field holds
REFERENCE = r"^[-a-zA-Z0-9_]{1,80}/[-a-zA-Z0-9_]{1,80}$"  # organisation/slug
MAX_INT = 2**31 - 1  # the largest version number or count the database holds


def _plain_text(value: str) -> str:
    # What the database can store: no NUL character (PostgreSQL refuses it) and nothing that
    # is not UTF-8 (a lone surrogate from a JSON escape).
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from error
    return value


PlainText = Annotated[str, AfterValidator(_plain_text)]


def _iso_date(value):
    # Pydantic would also take a number of seconds since 1970; the API takes ISO 8601 only.
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


def _iso_datetime(value):
    if not isinstance(value, str) or not re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
        raise ValueError("must be an ISO 8601 date and time, e.g. 2026-01-31T00:00:00Z")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]


class ErrorItem(Schema):
    line: int | None = Field(None, description="Line of the module file, from 1.")
    column: int | None = Field(None, description="Column of the line, from 1.")
    field: str = Field(description="The field or parameter in question ('' for the whole).")
    message: str


class Error(Schema):
    detail: str = Field(description="What went wrong, in a sentence.")
    errors: list[ErrorItem] = Field(default_factory=list, description="Every problem found.")


class Links(Schema):
    modules: str
    organisations: str
    deliveries: str
    openapi: str


class Root(Schema):
    name: str = Field(description="This installation's name (DATACIRCLE_INSTANCE_NAME).")
    software: Literal["Data Circle"]
    api_version: Literal["1"]
    links: Links


class OrganisationOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: str
    country: str = Field(description="ISO 3166-1 alpha-2 code, or '' when none.")
    parent: str | None = Field(description="Slug of the organisation this one is part of.")
    pulled_from: str | None = Field(
        description="Catalogue address of the peer this organisation was pulled from, if any."
    )


class OrganisationList(Schema):
    count: int
    results: list[OrganisationOut]


class Origin(Schema):
    peer: str = Field(description="Catalogue address of the peer the module was pulled from.")
    reference: str = Field(description="The module's reference on the peer.")
    url: str = Field(description="The module's page on the peer.")


class ModuleSummary(Schema):
    reference: str = Field(description="organisation/slug")
    organisation: str = Field(description="Slug of the organisation ('datacircle': starter).")
    slug: str
    title: str
    summary: str
    language: str
    skills: list[str]
    level: int
    duration: int = Field(description="Minutes.")
    unplugged: bool
    licence: str
    version: int = Field(description="Number of the latest published version.")
    published_at: datetime
    sha256: str = Field(description="SHA-256 (hex) of the version's file, as UTF-8.")
    translation_of: str | None = Field(description="Reference of the original module.")
    derived_from: str | None = Field(description="organisation/slug@version it adapts.")
    origin: Origin | None = Field(description="Where it was pulled from, if from a peer.")
    url: str = Field(description="This module in the API.")
    html_url: str = Field(description="This module's page on this installation.")


class VersionLink(Schema):
    number: int
    published_at: datetime
    sha256: str
    url: str


class ModuleDetail(ModuleSummary):
    source: str = Field(
        description="The version's module file (Markdown with YAML front matter). Its "
        "`contributors` list credits the people or teams who wrote or adapted it, as the "
        "licence asks."
    )
    versions: list[VersionLink]


class VersionOut(Schema):
    number: int
    published_at: datetime
    sha256: str
    source: str


class ModulePage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[ModuleSummary]


class ModuleIn(Schema):
    source: PlainText = Field(
        description="A module file; its `organisation` must be the token's organisation.",
        min_length=1,
        max_length=1 << 20,
    )


class ImportOut(Schema):
    result: Literal["created", "updated", "unchanged"]
    reference: str
    status: Literal["draft", "review", "published"] = Field(
        description="Status of the working copy now held here."
    )
    module: ModuleSummary | None = Field(
        description="The latest published version (null while the module is unpublished)."
    )
    unresolved: list[str] = Field(
        description="translation_of / derived_from references to modules not held here."
    )


class DeliveryIn(Schema):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "module": "datacircle/spreadsheet-habits",
                    "version": 1,
                    "held_on": "2025-02-14",
                    "country": "KE",
                    "city": "Kisumu",
                    "online": False,
                    "language": "en",
                    "participants": 18,
                }
            ]
        }
    }

    module: Annotated[str, Field(pattern=REFERENCE, description="organisation/slug")]
    version: StrictInt = Field(ge=1, le=MAX_INT, description="Published version number.")
    held_on: IsoDate
    country: str = Field("", pattern=r"^([A-Z]{2})?$", description="ISO alpha-2, or ''.")
    city: PlainText = Field("", max_length=100)
    online: StrictBool = False
    language: Literal["en", "fr", "es", "ar"]
    participants: StrictInt = Field(ge=1, le=100_000)


class DeliveryOut(Schema):
    id: int
    module: str
    version: int
    organisation: str
    held_on: date
    country: str
    city: str
    online: bool
    language: str
    participants: int


class Count(Schema):
    deliveries: int
    participants: int | None = Field(description="People reached; null when suppressed.")
    participants_shown: str = Field(description="As published: a number, '<5' or '–'.")


class ReachRow(Schema):
    key: dict[str, str | int] = Field(description="One value per dimension (year: a number).")
    deliveries: int
    participants: int | None = Field(description="People reached; null when suppressed.")
    participants_shown: str = Field(description="As published: a number, '<5' or '–'.")


class ReachOut(Schema):
    dimensions: list[str]
    k: int = Field(description="Counts of people under k are shown as '<k'.")
    total: Count
    rows: list[ReachRow]
