"""Library workflows that span models: importing module files and bundles (atomic, idempotent),
saving a working copy, review and publishing, adapting and translating with provenance.

The file format and the design rules live in `datacircle.core.modules` and `datacircle.core.lint`;
this module keeps the database in step with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from datacircle.accounts.models import Organisation, Person
from datacircle.core import lint as core_lint
from datacircle.core import modules as core
from datacircle.core.taxonomy import builtin_taxonomy
from datacircle.library.models import STARTER, Module, ModuleVersion
from datacircle.library.search import TITLE_WEIGHT, fold

STARTER_FOLDER = Path(__file__).resolve().parent.parent / "data" / "modules"


class LibraryError(Exception):
    """A step the module's state or the user's rights do not allow; the message says why."""


def skill_codes(organisation: Organisation | None) -> tuple[str, ...]:
    if organisation is None:
        return builtin_taxonomy().codes
    from datacircle.scoping.services import taxonomy_for

    return taxonomy_for(organisation).codes


def parsed(module: Module) -> core.Module:
    """The working copy as the core's module (it was valid when saved)."""
    return core.parse(module.source, source=f"{module.reference}.md")


def findings(module: Module, source: str | None = None) -> list[core_lint.Finding]:
    text = module.source if source is None else source
    return core_lint.lint(core.parse(text), positions=core.positions(text))


def search_text(m: core.Module) -> str:
    """Everything a reader may search for, folded: the title counts more, skills are found by
    their names in every language."""
    taxonomy = builtin_taxonomy()
    names = [
        name for code in m.skills if code in taxonomy for name in taxonomy.skill(code).all_names()
    ]
    parts = [
        *([m.title] * TITLE_WEIGHT),
        m.summary,
        *m.outcomes,
        *(f"{a.title} {a.description}" for a in m.agenda),
        *m.materials,
        *m.skills,
        *names,
        m.body,
    ]
    return fold("\n".join(parts))


def rank_text(title: str, summary: str) -> str:
    return fold(f"{title}\n" * TITLE_WEIGHT + summary)


def _fill(module: Module, m: core.Module, text: str) -> Module:
    module.language = m.language
    module.title = m.title
    module.summary = m.summary
    module.skills = list(m.skills)
    module.level = m.level
    module.duration = m.duration
    module.unplugged = m.unplugged
    module.status = m.status
    module.source = text
    module.search_text = search_text(m)
    module.rank_text = rank_text(m.title, m.summary)
    return module


def organisation_of(m: core.Module) -> Organisation | None:
    if m.organisation == STARTER:
        return None
    found = Organisation.objects.filter(slug=m.organisation).first()
    if found is None:
        raise LibraryError(
            _("%(module)s: no organisation “%(organisation)s” in this network.")
            % {"module": m.reference, "organisation": m.organisation}
        )
    return found


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # references to modules not here

    @property
    def modules(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


def _import_one(m: core.Module, text: str, report: ImportReport) -> Module:
    organisation = organisation_of(m)
    module = Module.objects.filter(organisation=organisation, slug=m.id).first()
    if module is not None and module.source == text:
        report.unchanged.append(m.reference)
        return module
    if m.status == Module.Status.PUBLISHED:
        if m.version < 1:
            raise LibraryError(
                _("%(module)s: a published module needs a version number of 1 or more.")
                % {"module": m.reference}
            )
        existing = module.versions.filter(number=m.version).first() if module else None
        if existing is not None and existing.source != text:
            raise LibraryError(
                _(
                    "%(module)s: version %(version)d already exists with other content; "
                    "give the changed module version %(next)d."
                )
                % {"module": m.reference, "version": m.version, "next": m.version + 1}
            )
    (report.created if module is None else report.updated).append(m.reference)
    module = _fill(module or Module(organisation=organisation, slug=m.id), m, text)
    module.save()
    if m.status == Module.Status.PUBLISHED and not module.versions.filter(number=m.version):
        ModuleVersion.objects.create(module=module, number=m.version, source=text)
    return module


def _link(module: Module, m: core.Module, report: ImportReport) -> None:
    """Provenance from the file's references, when the modules they name are here."""
    module.translation_of = None
    if m.translation_of:
        module.translation_of = find(m.translation_of)
        if module.translation_of is None:
            report.unresolved.append(f"{m.reference}: translation_of {m.translation_of}")
    module.derived_from = None
    if m.derived_from:
        reference, _at, number = m.derived_from.rpartition("@")
        original = find(reference)
        version = original.versions.filter(number=int(number)).first() if original else None
        module.derived_from = version
        if version is None:
            report.unresolved.append(f"{m.reference}: derived_from {m.derived_from}")
    module.save(update_fields=["translation_of", "derived_from"])


def find(reference: str) -> Module | None:
    """The module named `organisation/id`, or None."""
    organisation, _slash, slug = reference.partition("/")
    return Module.objects.of_organisation(organisation).filter(slug=slug).first()


@transaction.atomic
def import_modules(
    items: Iterable[tuple[core.Module, str]], *, allowed: Iterable[str] | None = None
) -> ImportReport:
    """Import (module, its file text) pairs all or nothing. Importing the same files again
    changes nothing; `allowed` limits which organisations' modules may be imported."""
    report = ImportReport()
    pairs = list(items)
    allowed_set = set(allowed) if allowed is not None else None
    for m, _text in pairs:
        if allowed_set is not None and m.organisation not in allowed_set:
            raise LibraryError(
                _("%(module)s belongs to “%(organisation)s”: you may import only your own.")
                % {"module": m.reference, "organisation": m.organisation}
            )
    saved = [(_import_one(m, text, report), m) for m, text in pairs]
    for module, m in saved:
        _link(module, m, report)
    return report


def read_files(paths: Iterable[Path]) -> list[tuple[core.Module, str]]:
    """Parse .md files and .zip bundles; every problem of every file in one ModuleFormatError."""
    items: list[tuple[core.Module, str]] = []
    problems: list[core.Problem] = []
    codes = builtin_taxonomy().codes
    for path in paths:
        try:
            if path.suffix.lower() == ".zip":
                bundle = core.read_bundle(path.read_bytes(), source=str(path), skill_codes=codes)
                items.extend((m, core.dump(m)) for _name, m in bundle)
            else:
                text = path.read_text(encoding="utf-8")
                items.append((core.parse(text, source=str(path), skill_codes=codes), text))
        except core.ModuleFormatError as error:
            problems.extend(error.problems)
    if problems:
        raise core.ModuleFormatError(tuple(problems))
    return items


def load_starter_library() -> ImportReport:
    """The modules that come with Data Circle; safe to run at every start. A starter module is
    loaded when it is missing, or when this release brings a newer version and nobody has a
    draft of it in progress: a network admin's edits are never overwritten."""
    wanted = []
    for m, text in read_files(sorted(STARTER_FOLDER.glob("*.md"))):
        module = Module.objects.filter(organisation__isnull=True, slug=m.id).first()
        latest = module.latest_version if module else None
        untouched = module is None or (latest is not None and module.source == latest.source)
        if module is None or (untouched and latest.number < m.version):
            wanted.append((m, text))
    return import_modules(wanted)


@transaction.atomic
def save_working_copy(module: Module, m: core.Module) -> Module:
    """Save an edit. Editing a published module starts a new draft; its published versions
    stay as they are."""
    status = Module.Status.DRAFT.value if m.status == Module.Status.PUBLISHED else m.status
    m = replace(m, status=status)
    return _save(module, m)


def _save(module: Module, m: core.Module) -> Module:
    text = core.dump(m)
    _fill(module, m, text)
    module.save()
    return module


@transaction.atomic
def submit_for_review(module: Module) -> Module:
    if module.status != Module.Status.DRAFT:
        raise LibraryError(_("Only a draft can be sent for review."))
    return _save(module, replace(parsed(module), status=Module.Status.REVIEW.value))


@transaction.atomic
def publish(module: Module, actor: Person | None) -> ModuleVersion:
    """Freeze the working copy as the next version. Refused while the design linter finds an
    error (rules switched off with a written reason do not count)."""
    module = Module.objects.select_for_update().get(pk=module.pk)
    errors = [f for f in findings(module) if f.severity == "error"]
    if errors:
        raise LibraryError(
            _("Fix the design problems first: %(rules)s.")
            % {"rules": ", ".join(sorted({f.rule for f in errors}))}
        )
    latest = module.versions.order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    m = replace(parsed(module), status=Module.Status.PUBLISHED.value, version=number)
    _save(module, m)
    return ModuleVersion.objects.create(
        module=module, number=number, source=module.source, published_by=actor
    )


def free_slug(organisation: Organisation | None, slug: str) -> str:
    taken = set(
        Module.objects.filter(organisation=organisation, slug__startswith=slug).values_list(
            "slug", flat=True
        )
    )
    candidate, n = slug, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate, n = slug[: 80 - len(suffix)] + suffix, n + 1
    return candidate


def _credit(contributors: tuple[str, ...], actor: Person | None) -> tuple[str, ...]:
    if actor is None or actor.full_name in contributors:
        return contributors
    return (*contributors, actor.full_name)


@transaction.atomic
def adapt(version: ModuleVersion, organisation: Organisation, actor: Person | None) -> Module:
    """A new draft module of `organisation` that starts as a copy of a published version and
    says so (`derived_from`), so credit and history travel with it."""
    source = core.parse(version.source)
    m = replace(
        source,
        id=free_slug(organisation, source.id),
        organisation=organisation.slug,
        derived_from=version.reference,
        status=Module.Status.DRAFT.value,
        version=0,
        contributors=_credit(source.contributors, actor),
    )
    module = _save(Module(organisation=organisation, slug=m.id), m)
    module.derived_from = version
    module.save(update_fields=["derived_from"])
    return module


@transaction.atomic
def translate(
    module: Module, language: str, organisation: Organisation, actor: Person | None
) -> Module:
    """A new draft in `language`, to be translated from a copy of the module's text; it points
    to the original (the original's original, for a translation of a translation)."""
    original = module.translation_of or module
    if language == original.language or original.translations.filter(language=language).exists():
        raise LibraryError(_("This module already exists in that language."))
    source = core.parse(module.source)
    m = replace(
        source,
        id=free_slug(organisation, f"{original.slug}-{language}"),
        organisation=organisation.slug,
        language=language,
        translation_of=original.reference,
        derived_from=None,
        status=Module.Status.DRAFT.value,
        version=0,
        contributors=_credit(source.contributors, actor),
    )
    made = _save(Module(organisation=organisation, slug=m.id), m)
    made.translation_of = original
    made.save(update_fields=["translation_of"])
    return made
