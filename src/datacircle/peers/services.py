"""Peer-learning workflows that span models: computing, editing and publishing a matching round,
and each person's answer and feedback.

The rules of who may be matched with whom live in `datacircle.core.matching`; this module only
turns profiles into the core's learners and sharers, and the core's result into rows.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from datacircle.accounts.models import Person
from datacircle.core import matching
from datacircle.core.i18n import as_json
from datacircle.notices.services import language_of, notify
from datacircle.peers.models import Match, MatchEvent, MatchingRound, Profile, Unmatched
from datacircle.web.localised import join_list

# A match still taking someone's time: the learner is not matched again, the sharer has one
# place fewer.
OPEN_STATUSES = (Match.Status.WAITING, Match.Status.ACTIVE)
TOKEN_SALT = "datacircle.peers.match"  # noqa: S105 (a signing salt, not a secret)


class WorkflowError(Exception):
    """A step that the match's or round's current state does not allow; the message says why."""


def fill_from_answers(person: Person, row: dict, codes) -> Profile:
    """Replace the skills of `person`'s profile with those of their scoping answer `row` (a
    canonical row), at their explicit request. A skill to learn without a level counts as
    level 0; a skill to share counts only from "can do alone" (3) up, or without a level (as
    the scoping report counts it)."""
    from datacircle.core.taxonomy import SUPPLY_LEVEL

    wants, shares = {}, {}
    for code in codes:
        if row.get(f"learn.{code}"):
            wants[code] = int(row.get(f"learn_level.{code}") or 0)
        if row.get(f"share.{code}"):
            level = row.get(f"share_level.{code}")
            if level is None or level >= SUPPLY_LEVEL:
                shares[code] = int(level if level is not None else SUPPLY_LEVEL)
    for code in set(wants) & set(shares):
        del wants[code]  # an answer that both wants and shares a skill is taken as sharing
    profile, _created = Profile.objects.get_or_create(
        person=person, defaults={"source": Profile.Source.SCOPING}
    )
    profile.wants, profile.shares, profile.source = wants, shares, Profile.Source.SCOPING
    profile.save()
    return profile


def profiles_in_scope(round: MatchingRound):
    profiles = Profile.objects.select_related("person", "person__unit")
    if round.organisation_id:
        profiles = profiles.filter(person__organisation_id=round.organisation_id)
    return profiles


def utc_offset(zone: str, at: datetime) -> float:
    try:
        offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return 0.0
    return offset.total_seconds() / 3600 if offset else 0.0


def person_key(person_id: int) -> str:
    return str(person_id)


@dataclass(frozen=True)
class Inputs:
    learners: list[matching.Learner]
    sharers: list[matching.Sharer]
    exclusions: set[tuple[str, str]]


def round_inputs(round: MatchingRound, at: datetime | None = None) -> Inputs:
    """The core's view of everyone in the round's scope, as of `at` (for time-zone offsets).

    Learners: available profiles that want something and are not already in an open match as
    learner. Sharers: available profiles that share something at a teachable level, with their
    capacity minus the learners they already have. Exclusions: every pair that was published
    before, in either direction (earlier and declined pairs are not proposed again)."""
    at = at or timezone.now()
    busy_learners = set(
        Match.objects.filter(status__in=OPEN_STATUSES).values_list("learner_id", flat=True)
    )
    taken: dict[int, int] = {}
    for sharer_id in Match.objects.filter(status__in=OPEN_STATUSES).values_list(
        "sharer_id", flat=True
    ):
        taken[sharer_id] = taken.get(sharer_id, 0) + 1
    # Priority goes to people who never actually learned with a peer; a declined match does
    # not count.
    matched_before = set(
        Match.objects.filter(status__in=(Match.Status.ACTIVE, Match.Status.COMPLETED)).values_list(
            "learner_id", flat=True
        )
    )
    learners, sharers = [], []
    offsets: dict[str, float] = {}
    for profile in profiles_in_scope(round).filter(status=Profile.Status.AVAILABLE).iterator():
        person = profile.person
        key = person_key(person.pk)
        if person.timezone not in offsets:
            offsets[person.timezone] = utc_offset(person.timezone, at)
        common = {
            "key": key,
            "languages": tuple(person.languages),
            "timezone_offset": offsets[person.timezone],
            "unit": str(person.unit_id or ""),
        }
        if profile.wants and person.pk not in busy_learners:
            learners.append(
                matching.Learner(
                    wants=dict(profile.wants),
                    matched_before=person.pk in matched_before,
                    **common,
                )
            )
        room = profile.capacity - taken.get(person.pk, 0)
        if profile.shares and room > 0:
            sharers.append(matching.Sharer(shares=dict(profile.shares), capacity=room, **common))
    exclusions = {
        (person_key(a), person_key(b))
        for a, b in Match.objects.exclude(status=Match.Status.PROPOSED).values_list(
            "learner_id", "sharer_id"
        )
    }
    return Inputs(learners, sharers, exclusions)


def compute(round: MatchingRound, progress: Callable | None = None) -> dict:
    """Compute the optimum for a round being computed or in draft, replacing what it held."""
    if round.status == MatchingRound.Status.PUBLISHED:
        raise WorkflowError(_("A published round cannot be computed again."))
    inputs = round_inputs(round)

    def report(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)

    result = matching.match(
        inputs.learners, inputs.sharers, exclusions=inputs.exclusions, progress=report
    )
    baseline = matching.greedy(inputs.learners, inputs.sharers, exclusions=inputs.exclusions)
    with transaction.atomic():
        round.matches.all().delete()
        round.unmatched.all().delete()
        Match.objects.bulk_create(
            Match(
                round=round,
                learner_id=int(m.learner),
                sharer_id=int(m.sharer),
                skill=m.skill,
                benefit=m.benefit,
                reasons=[list(r) for r in m.reasons],
            )
            for m in result.matches
        )
        Unmatched.objects.bulk_create(
            Unmatched(round=round, learner_id=int(u.learner), reason=list(u.reason))
            for u in result.unmatched
        )
        round.learners, round.sharers = len(inputs.learners), len(inputs.sharers)
        round.total_benefit = result.total_benefit
        round.greedy_benefit = baseline.total_benefit
        round.upper_bound = result.upper_bound
        round.status = MatchingRound.Status.DRAFT
        round.failure, round.failure_message = "", {}
        round.save()
    return {
        "learners": round.learners,
        "sharers": round.sharers,
        "matched": len(result.matches),
        "unmatched": len(result.unmatched),
        "total_benefit": result.total_benefit,
        "greedy_benefit": baseline.total_benefit,
        "greedy_matched": len(baseline.matches),
        "upper_bound": result.upper_bound,
    }


def fail(round: MatchingRound, message: str) -> None:
    """Mark the round failed; a core message is kept untranslated with its parameters so that
    each reader sees it in their own language."""
    MatchingRound.objects.filter(pk=round.pk).update(
        status=MatchingRound.Status.FAILED, failure=str(message), failure_message=as_json(message)
    )


def _require_draft(round: MatchingRound) -> None:
    if round.status != MatchingRound.Status.DRAFT:
        raise WorkflowError(_("Only a draft round can be changed."))


def candidates(round: MatchingRound, learner: Person) -> list[tuple[Person, matching.Match, int]]:
    """Sharers who could take `learner` by hand in this draft round: (person, the core's
    scoring of the pair, places left), best first. Sharers already full are listed too (with
    0 places) so the coordinator sees why they cannot be chosen."""
    inputs = round_inputs(round)
    me = next((x for x in inputs.learners if x.key == person_key(learner.pk)), None)
    if me is None:
        return []
    current = Match.objects.filter(round=round, learner=learner).values_list("sharer_id", flat=True)
    current_sharer = next(iter(current), None)
    # A sharer's capacity in the inputs already excludes their open matches; what this draft
    # proposes to them takes the rest.
    proposed = Counter(
        round.matches.filter(status=Match.Status.PROPOSED).values_list("sharer_id", flat=True)
    )
    allowed = []
    for sharer in inputs.sharers:
        scored = matching.pair(me, sharer, exclusions=inputs.exclusions)
        if isinstance(scored, matching.Match):
            allowed.append((int(sharer.key), sharer.capacity, scored))
    people = Person.objects.in_bulk([pk for pk, _capacity, _scored in allowed])
    found = [
        (
            people[pk],
            scored,
            max(0, capacity - proposed[pk]) + (1 if pk == current_sharer else 0),
        )
        for pk, capacity, scored in allowed
    ]
    found.sort(key=lambda item: (-item[1].benefit, item[0].pk))
    return found


@transaction.atomic
def assign(round: MatchingRound, learner: Person, sharer: Person, actor: Person | None) -> Match:
    """Match `learner` with `sharer` by hand in a draft round, replacing the learner's match."""
    round = MatchingRound.objects.select_for_update().get(pk=round.pk)
    _require_draft(round)
    chosen = next((c for c in candidates(round, learner) if c[0].pk == sharer.pk), None)
    if chosen is None:
        raise WorkflowError(
            _("%(sharer)s cannot teach %(learner)s any of the skills they want.")
            % {"sharer": sharer, "learner": learner}
        )
    _person, scored, room = chosen
    if room <= 0:
        raise WorkflowError(_("%(sharer)s has no place left.") % {"sharer": sharer})
    previous = Match.objects.filter(round=round, learner=learner).first()
    if previous is not None:
        round.total_benefit -= previous.benefit
        previous.delete()
    Unmatched.objects.filter(round=round, learner=learner).delete()
    made = Match.objects.create(
        round=round,
        learner=learner,
        sharer=sharer,
        skill=scored.skill,
        benefit=scored.benefit,
        reasons=[list(r) for r in scored.reasons],
        edited=True,
    )
    MatchEvent.objects.create(
        match=made, actor=actor, after=Match.Status.PROPOSED, note="assigned by hand"
    )
    round.total_benefit += scored.benefit
    round.save(update_fields=["total_benefit"])
    return made


@transaction.atomic
def remove(match: Match, actor: Person | None) -> None:
    """Take a proposed match out of a draft round; its learner is listed as removed by hand."""
    round = MatchingRound.objects.select_for_update().get(pk=match.round_id)
    _require_draft(round)
    Unmatched.objects.create(round=round, learner_id=match.learner_id, reason=["removed"])
    round.total_benefit -= match.benefit
    round.save(update_fields=["total_benefit"])
    match.delete()


def match_token(match: Match, side: str) -> str:
    return signing.dumps({"m": match.pk, "s": side}, salt=TOKEN_SALT, compress=True)


def from_token(token: str) -> tuple[Match, str]:
    """The match and side ("learner"/"sharer") a link was made for; raises `signing.BadSignature`."""
    data = signing.loads(token, salt=TOKEN_SALT)
    return Match.objects.select_related("learner", "sharer", "round").get(pk=data["m"]), data["s"]


def match_link(match: Match, side: str) -> str:
    return reverse("peers-match-link", args=[match_token(match, side)])


def _event(match: Match, actor: Person | None, before: str, note: str = "") -> None:
    MatchEvent.objects.create(
        match=match, actor=actor, before=before, after=match.status, note=note
    )


@transaction.atomic
def publish(round: MatchingRound, actor: Person | None) -> int:
    """Publish a draft round: every proposed match waits for both people, who are emailed."""
    round = MatchingRound.objects.select_for_update().get(pk=round.pk)
    _require_draft(round)
    matches = list(round.matches.select_related("learner", "sharer", "learner__profile"))
    _check_still_free(round, matches)
    for match in matches:
        match.status = Match.Status.WAITING
        match.save(update_fields=["status", "updated_at"])
        _event(match, actor, Match.Status.PROPOSED)
        for side in ("learner", "sharer"):
            _tell_about_new_match(match, side)
    round.status = MatchingRound.Status.PUBLISHED
    round.published_at = timezone.now()
    round.save(update_fields=["status", "published_at"])
    return len(matches)


def _check_still_free(round: MatchingRound, matches: list[Match]) -> None:
    """Refuse to publish when another round published since this one was computed has taken
    a learner or a sharer's places: the coordinator computes again instead."""
    open_matches = Match.objects.filter(status__in=OPEN_STATUSES).exclude(round=round)
    busy = set(open_matches.values_list("learner_id", flat=True))
    taken: dict[int, int] = {}
    for sharer_id in open_matches.values_list("sharer_id", flat=True):
        taken[sharer_id] = taken.get(sharer_id, 0) + 1
    wanted: dict[int, int] = {}
    for match in matches:
        wanted[match.sharer_id] = wanted.get(match.sharer_id, 0) + 1
    capacity = dict(
        Profile.objects.filter(person_id__in=wanted).values_list("person_id", "capacity")
    )
    names = sorted(
        {str(m.learner) for m in matches if m.learner_id in busy}
        | {
            str(m.sharer)
            for m in matches
            if taken.get(m.sharer_id, 0) + wanted[m.sharer_id] > capacity.get(m.sharer_id, 0)
        }
    )
    if names:
        raise WorkflowError(
            _(
                "Since this round was computed, another round has taken the time of: "
                "%(names)s. Compute this round again before publishing it."
            )
            % {"names": join_list(names)}
        )


def skill_label(code: str, organisation=None) -> str:
    """The skill's name in the active language, in the organisation's own wording if any."""
    from datacircle.scoping.services import taxonomy_for

    taxonomy = taxonomy_for(organisation)
    language = translation.get_language() or "en"
    return taxonomy.label_or_code(code, language)


def _tell_about_new_match(match: Match, side: str) -> None:
    person = match.learner if side == "learner" else match.sharer
    other = match.sharer if side == "learner" else match.learner
    with translation.override(language_of(person)):
        skill = skill_label(match.skill, person.organisation)
        if side == "learner":
            subject = _("You have a peer-learning match: %(skill)s") % {"skill": skill}
            body = _(
                "%(other)s can help you learn %(skill)s. Please accept or decline the match "
                "with the link below; nothing happens until you both accept."
            ) % {"other": other.full_name, "skill": skill}
        else:
            subject = _("Could you help a colleague learn %(skill)s?") % {"skill": skill}
            body = _(
                "%(other)s would like to learn %(skill)s, and you share it. Please accept or "
                "decline with the link below; saying no is fine."
            ) % {"other": other.full_name, "skill": skill}
    notify(person, subject, body, match_link(match, side))


@transaction.atomic
def answer(match: Match, side: str, accepted: bool, actor: Person | None) -> Match:
    """Record one side's answer. A decline ends the match; two accepts make it active."""
    match = Match.objects.select_for_update().select_related("learner", "sharer").get(pk=match.pk)
    if match.status != Match.Status.WAITING:
        raise WorkflowError(_("This match is no longer waiting for answers."))
    before = match.status
    value = Match.Answer.ACCEPTED if accepted else Match.Answer.DECLINED
    setattr(match, f"{side}_answer", value)
    if not accepted:
        match.status = Match.Status.DECLINED
    elif match.learner_answer == match.sharer_answer == Match.Answer.ACCEPTED:
        match.status = Match.Status.ACTIVE
    match.save()
    _event(match, actor, before, note=f"{side} {value}")
    if match.status != before:
        for other_side in ("learner", "sharer"):
            if other_side != side or match.status == Match.Status.ACTIVE:
                _tell_about_change(match, other_side)
    return match


def _tell_about_change(match: Match, side: str) -> None:
    person = match.learner if side == "learner" else match.sharer
    other = match.sharer if side == "learner" else match.learner
    with translation.override(language_of(person)):
        skill = skill_label(match.skill, person.organisation)
        if match.status == Match.Status.ACTIVE:
            subject = _("Your peer-learning match on %(skill)s is on") % {"skill": skill}
            body = _(
                "You and %(other)s both accepted. Agree on a first time to meet; %(email)s "
                "reaches %(other)s."
            ) % {"other": other.full_name, "email": other.email or "—"}
        else:
            subject = _("A peer-learning match on %(skill)s will not go ahead") % {"skill": skill}
            body = _(
                "The match between you and %(other)s was declined. You stay in the pool for "
                "the next matching round."
            ) % {"other": other.full_name}
    notify(person, subject, body, match_link(match, side))


@transaction.atomic
def complete(
    match: Match, side: str, rating: int | None, feedback: str, actor: Person | None
) -> Match:
    """Close an active match with one side's short feedback; the other side may add theirs
    afterwards."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status not in (Match.Status.ACTIVE, Match.Status.COMPLETED):
        raise WorkflowError(_("Only an active match can be completed."))
    before = match.status
    setattr(match, f"{side}_rating", rating)
    setattr(match, f"{side}_feedback", feedback.strip())
    match.status = Match.Status.COMPLETED
    match.save()
    _event(match, actor, before, note=f"feedback from {side}")
    return match
