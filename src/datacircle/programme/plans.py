"""Planning a programme: from the database to the core planner and back, then publishing
numbered versions with the list of what changed.

The planner itself (datacircle.core.planning) sees only plain data: demand per skill from the
programme's scoping round, the latest published version of every library module, the working
group's members as facilitators, the weekly slots over the horizon, and milestone windows.
"""

from __future__ import annotations

import threading
import zoneinfo
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from datacircle.accounts.models import Person
from datacircle.core import milestones as core_milestones
from datacircle.core.i18n import as_json, gettext_noop

if TYPE_CHECKING:
    from datacircle.core import planning
from datacircle.core.modules import parse
from datacircle.library.models import ModuleVersion
from datacircle.notices.services import language_of, notify
from datacircle.programme.models import (
    Member,
    Milestone,
    Programme,
    ProgrammeVersion,
    Session,
)
from datacircle.web.localised import weekday_datetime

DEFAULT_CAPACITY = 20


class PlanError(Exception):
    """A planning step the programme's state does not allow; the message says why. Raised
    while planning (in a job, in no reader's language) it is marked with `gettext_noop` and
    translated where it is shown; elsewhere, already in the reader's language."""


def zone_of(programme: Programme) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(programme.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def slots(programme: Programme) -> list[planning.Slot]:
    """Every weekly session time over the horizon, in order, as aware datetimes."""
    from datacircle.core import planning  # imported late: OR-Tools loads slowly

    zone = zone_of(programme)
    found = []
    monday = programme.starts_on - timedelta(days=programme.starts_on.weekday())
    for week in range(programme.weeks):
        for slot in programme.slot_times:
            day = monday + timedelta(weeks=week, days=int(slot["weekday"]))
            if day < programme.starts_on:
                continue
            hour, minute = (int(x) for x in str(slot["time"]).split(":"))
            start = datetime.combine(day, time(hour, minute), tzinfo=zone)
            found.append((start, week))
    found.sort()
    return [
        planning.Slot(index=i, start=start, week=week, month=f"{start:%Y-%m}")
        for i, (start, week) in enumerate(found)
    ]


def organisation_milestones(organisation) -> list[core_milestones.Milestone]:
    made = []
    for m in Milestone.objects.filter(organisation=organisation):
        rule = core_milestones.parse_rule(
            {
                "kind": m.kind,
                "month": m.month,
                "day": m.day,
                "weekday": m.weekday,
                "n": m.n,
                "on": m.on,
            }
        )
        made.append(
            core_milestones.Milestone(
                key=f"org-{m.pk}",
                names={"en": m.name},
                descriptions={"en": m.description},
                rule=rule,
                length_days=m.length_days,
                themes=tuple(m.themes),
            )
        )
    return made


def milestone_windows(programme: Programme, first: date, last: date):
    from datacircle.core import planning  # imported late: OR-Tools loads slowly

    every = [
        *core_milestones.builtin_milestones(),
        *organisation_milestones(programme.organisation),
    ]
    return [
        planning.MilestoneWindow(o.milestone.key, o.start, o.end, tuple(o.milestone.themes))
        for o in core_milestones.occurrences(every, first, last)
    ]


def latest_versions() -> dict[str, ModuleVersion]:
    """The newest published version of every module, by its planner key (the version's pk)."""
    newest = ModuleVersion.objects.values("module_id").annotate(number=Max("number"))
    wanted = {(row["module_id"], row["number"]) for row in newest}
    versions = ModuleVersion.objects.select_related("module")
    return {
        str(v.pk): v
        for v in versions.filter(module_id__in={m for m, _n in wanted})
        if (v.module_id, v.number) in wanted
    }


def demand_of(programme: Programme) -> dict[str, int]:
    """People who want each skill, from the programme's scoping round (used inside the planner
    only; pages show these counts through the round's small-cell rule)."""
    if programme.demand_round is None:
        return {}
    from datacircle.scoping.services import round_frame

    frame = round_frame(programme.demand_round)
    return {
        column.split(".", 1)[1]: int(frame[column].sum())
        for column in frame.columns
        if column.startswith("learn.") and frame[column].sum()
    }


def language_demand(programme: Programme) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for languages in Person.objects.filter(organisation=programme.organisation).values_list(
        "languages", flat=True
    ):
        if languages:
            counts[languages[0]] += 1
    return dict(counts)


def problem_for(programme: Programme) -> tuple[planning.Problem, dict[str, ModuleVersion]]:
    from datacircle.core import planning  # imported late: OR-Tools loads slowly

    slot_list = slots(programme)
    if not slot_list:
        raise PlanError(
            gettext_noop("The programme has no session time: add at least one weekly time.")
        )
    versions = latest_versions()
    modules = []
    for key, version in versions.items():
        m = parse(version.source)
        modules.append(planning.Module(key, tuple(m.skills), m.language, m.level))
    members = Member.objects.filter(
        person__organisation=programme.organisation, active=True
    ).select_related("person")
    facilitators = [
        planning.Facilitator(
            key=str(member.person_id),
            skills=tuple(member.leads),
            languages=tuple(member.person.languages),
            unit=str(member.person.unit_id or ""),
            available=frozenset(
                s.index for s in slot_list if s.start.weekday() in set(member.weekdays)
            ),
            monthly_limit=member.monthly_limit,
        )
        for member in members
        if member.leads and member.weekdays and member.monthly_limit
    ]
    problem = planning.Problem(
        demand=demand_of(programme),
        language_demand=language_demand(programme),
        modules=tuple(sorted(modules, key=lambda m: m.key)),
        facilitators=tuple(sorted(facilitators, key=lambda f: f.key)),
        slots=tuple(slot_list),
        milestones=tuple(
            milestone_windows(programme, slot_list[0].start.date(), slot_list[-1].start.date())
        ),
    )
    return problem, versions


def compute(programme: Programme, progress: Callable[[str], None] | None = None) -> dict:
    """Plan the programme's draft sessions, replacing earlier drafts (published sessions stay)."""
    from datacircle.core import planning  # imported late: OR-Tools loads slowly

    if programme.status == Programme.Status.PUBLISHED:
        raise PlanError(gettext_noop("A published programme is changed session by session."))
    problem, versions = problem_for(programme)
    caller = threading.get_ident()

    def report(text: str) -> None:
        # The solver reports from its own threads; only this one may touch the database.
        if progress is not None and threading.get_ident() == caller:
            progress(text)

    result = planning.plan(problem, progress=report)
    by_index = {s.index: s for s in problem.slots}
    people = Person.objects.in_bulk([int(s.facilitator) for s in result.sessions])
    with transaction.atomic():
        programme.sessions.filter(status=Session.Status.DRAFT).delete()
        for made in result.sessions:
            version = versions[made.module]
            module = parse(version.source)
            session = Session.objects.create(
                programme=programme,
                organisation=programme.organisation,
                module_version=version,
                starts_at=by_index[made.slot].start,
                minutes=module.duration,
                country=programme.organisation.country,
                city=programme.city,
                online=programme.online,
                language=module.language,
                capacity=DEFAULT_CAPACITY,
                status=Session.Status.DRAFT,
                reasons=[list(r) for r in made.reasons],
            )
            session.facilitators.add(people[int(made.facilitator)])
        programme.objective = result.objective
        programme.bound = result.bound
        programme.optimal = result.optimal
        programme.status = Programme.Status.DRAFT
        programme.failure, programme.failure_message = "", {}
        programme.save()
    return {
        "sessions": len(result.sessions),
        "objective": result.objective,
        "bound": result.bound,
        "optimal": result.optimal,
        "status": result.status,
    }


def fail(programme: Programme, message: str) -> None:
    """Mark the programme failed; `message` is kept in English and untranslated (a core message
    or a msgid, see `PlanError`) so that each reader sees it in their own language."""
    Programme.objects.filter(pk=programme.pk).update(
        status=Programme.Status.FAILED, failure=str(message), failure_message=as_json(message)
    )


def snapshot(programme: Programme) -> list[dict]:
    rows = []
    sessions = programme.sessions.exclude(status=Session.Status.DRAFT).select_related(
        "module_version__module"
    )
    for session in sessions.prefetch_related("facilitators"):
        rows.append(
            {
                "uid": session.uid,
                "starts_at": session.starts_at.isoformat(),
                "module": session.module_version.reference,
                "title": session.module_version.module.title,
                "facilitators": sorted(p.full_name for p in session.facilitators.all()),
                "place": _place(session),
                "status": session.status,
            }
        )
    return rows


def _place(session: Session) -> str:
    if session.online:
        return "online"
    return ", ".join(
        x for x in (session.city, session.country.code if session.country else "") if x
    )


def changes(before: list[dict], after: list[dict]) -> list[dict]:
    """What changed between two published versions, session by session (by uid)."""
    old = {row["uid"]: row for row in before}
    new = {row["uid"]: row for row in after}
    found = []
    for uid, row in new.items():
        if uid not in old:
            found.append({"change": "added", "session": row})
            continue
        changed = [
            k
            for k in ("starts_at", "module", "facilitators", "place", "status")
            if old[uid][k] != row[k]
        ]
        if changed:
            found.append(
                {"change": "changed", "fields": changed, "session": row, "before": old[uid]}
            )
    for uid, row in old.items():
        if uid not in new:
            found.append({"change": "removed", "session": row})
    found.sort(key=lambda c: (c["session"]["starts_at"], c["change"]))
    return found


@transaction.atomic
def publish(programme: Programme, actor: Person | None, *, tell: bool = True) -> ProgrammeVersion:
    """Schedule the draft sessions and record a new version with its changes; facilitators
    hear about the sessions that are new or changed for them (unless `tell` is false: demo)."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status not in (Programme.Status.DRAFT, Programme.Status.PUBLISHED):
        raise PlanError(_("Plan the programme before publishing it."))
    previous = programme.versions.order_by("-number").first()
    programme.sessions.filter(status=Session.Status.DRAFT).update(status=Session.Status.SCHEDULED)
    rows = snapshot(programme)
    listed = changes(previous.sessions if previous else [], rows)
    if previous is not None and not listed:
        raise PlanError(_("Nothing changed since version %(n)d.") % {"n": previous.number})
    programme.version += 1
    programme.status = Programme.Status.PUBLISHED
    programme.save(update_fields=["version", "status"])
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=programme.version,
        published_by=actor,
        sessions=rows,
        changes=listed,
    )
    if tell:
        _tell_facilitators(programme, listed)
    return version


def _tell_facilitators(programme: Programme, listed: list[dict]) -> None:
    uids = {c["session"]["uid"] for c in listed if c["change"] != "removed"}
    mine: dict[int, list[Session]] = {}
    for session in Session.objects.filter(uid__in=uids).prefetch_related("facilitators"):
        for person in session.facilitators.all():
            mine.setdefault(person.pk, []).append(session)
    for person in Person.objects.filter(pk__in=mine):
        zone = zoneinfo.ZoneInfo(person.timezone)
        with translation.override(language_of(person)):
            lines = [
                f"- {weekday_datetime(timezone.localtime(s.starts_at, zone), short=True)}"
                f" {s.module_version.module.title}"
                for s in sorted(mine[person.pk], key=lambda s: s.starts_at)
            ]
            notify(
                person,
                _("Programme “%(title)s”: your sessions") % {"title": programme.title},
                _("You facilitate these new or changed sessions:") + "\n" + "\n".join(lines),
                reverse("programme-sessions"),
            )


@transaction.atomic
def cancel_session(session: Session) -> int:
    """Cancel a scheduled session; everyone registered or waiting is told. Returns how many."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.SCHEDULED:
        raise PlanError(_("Only a scheduled session can be cancelled."))
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    told = 0
    for registration in session.registrations.exclude(status="cancelled").select_related("person"):
        person = registration.person
        with translation.override(language_of(person)):
            when = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo(person.timezone))
            notify(
                person,
                _("Cancelled: %(title)s") % {"title": session.module_version.module.title},
                _(
                    "The session of %(when)s is cancelled. We are sorry; watch the programme for "
                    "the next one."
                )
                % {"when": weekday_datetime(when)},
                reverse("programme-session", args=[session.pk]),
            )
        told += 1
    return told


@transaction.atomic
def change_session(
    session: Session, *, starts_at, facilitator: Person, city: str, online: bool, capacity: int
) -> Session:
    """Change a draft or scheduled session by hand; the next published version lists it. More
    places go to the waiting list at once."""
    from datacircle.programme.sessions import fill_from_waiting_list

    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status not in (Session.Status.DRAFT, Session.Status.SCHEDULED):
        raise PlanError(_("Only a planned or scheduled session can be changed."))
    session.starts_at, session.city, session.online = starts_at, city, online
    session.capacity = capacity
    session.save()
    session.facilitators.set([facilitator])
    if session.status == Session.Status.SCHEDULED:
        fill_from_waiting_list(session)
    return session
