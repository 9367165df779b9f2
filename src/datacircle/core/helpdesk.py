"""The data help desk's rules: who answers a question, when it is due, and which FAQ entries
(or, later, other documents) match what someone is asking.

Pure Python on plain data: the Django app gathers leaders, questions and entries, calls these
functions and stores what they return.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process

from datacircle.core.coding import normalise
from datacircle.core.taxonomy import SUPPLY_LEVEL, Taxonomy

# --- routing ----------------------------------------------------------------------------------

LEADER_ROLES = frozenset({"coordinator", "facilitator", "network_admin"})
# Who takes a question nobody can answer by skill: the people who run the organisation's
# programme. A network admin listed as a person *of that organisation* counts as one.
FALLBACK_ROLES = frozenset({"coordinator", "network_admin"})


class Reason(StrEnum):
    """Why a question went to whom it went (or to nobody); the page explains each code."""

    SKILL_AND_LANGUAGE = "skill-language"  # shares the skill and speaks the question's language
    SKILL_ONLY = "skill"  # shares the skill; nobody who shares it speaks the language
    NO_SKILL = "no-skill"  # nobody shares the skill: the least busy coordinator takes it
    NOBODY = "nobody"  # no available leader or coordinator: the question stays open


@dataclass(frozen=True)
class Leader:
    """A possible answerer: a person of the question's organisation with a leading role."""

    key: int  # stable: ties in load go to the smallest key
    role: str
    languages: tuple[str, ...]
    shares: Mapping[str, int] = field(default_factory=dict)
    load: int = 0  # questions assigned to them that are not resolved or closed yet
    available: bool = True


class Routing(NamedTuple):
    leader: int | None
    reason: Reason


def shares_skill(leader: Leader, skill: str) -> bool:
    return leader.shares.get(skill, 0) >= SUPPLY_LEVEL


def route(
    skill: str, language: str, leaders: Iterable[Leader], exclude: Iterable[int] = ()
) -> Routing:
    """The leader who should answer a question about `skill` written in `language`.

    Among available leaders (never one in `exclude`, such as the asker) who share the skill,
    those who speak the language come first; then the one with the fewest open questions, then
    the smallest key. If nobody shares the skill, the available coordinator with the least load
    takes it. If there is no such coordinator either, nobody does.
    """
    excluded = set(exclude)
    pool = [
        leader
        for leader in leaders
        if leader.available and leader.role in LEADER_ROLES and leader.key not in excluded
    ]
    sharers = [leader for leader in pool if shares_skill(leader, skill)]
    if sharers:
        speakers = [leader for leader in sharers if language in leader.languages]
        chosen = _least_busy(speakers or sharers)
        return Routing(chosen.key, Reason.SKILL_AND_LANGUAGE if speakers else Reason.SKILL_ONLY)
    coordinators = [leader for leader in pool if leader.role in FALLBACK_ROLES]
    if coordinators:
        return Routing(_least_busy(coordinators).key, Reason.NO_SKILL)
    return Routing(None, Reason.NOBODY)


def _least_busy(leaders: Sequence[Leader]) -> Leader:
    return min(leaders, key=lambda leader: (leader.load, leader.key))


# --- due dates --------------------------------------------------------------------------------

WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())


def is_working_day(day: date) -> bool:
    return day.weekday() not in WEEKEND


def due_on(asked_on: date, working_days: int) -> date:
    """The day an answer is due: the `working_days`-th working day after the day of asking
    (Saturdays and Sundays do not count). With 0, the day itself, or the next working day when
    the question came at a weekend."""
    if working_days < 0:
        raise ValueError("a service level cannot be negative")
    day = asked_on
    if working_days == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    # Whole weeks first, so a long service level does not walk day by day.
    weeks, rest = divmod(working_days, 5)
    day += timedelta(weeks=weeks)
    while not is_working_day(day):  # a weekend start: the weeks land on a weekend too
        day -= timedelta(days=1)
    while rest:
        day += timedelta(days=1)
        if is_working_day(day):
            rest -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start`, up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    total = (end - start).days
    weeks, rest = divmod(total, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if is_working_day(start + timedelta(days=weeks * 7 + offset)):
            count += 1
    return count


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and today > due


# --- names kept out of the FAQ ------------------------------------------------------------------

REDACTED = "…"


def redact(text: str, names: Iterable[str]) -> str:
    """`text` without the given names (whole words, any case): what a reply says to its asker
    ("Hi Awa,") must not travel into a FAQ entry everyone can read."""
    words = sorted(
        {word for name in names for word in name.split() if len(word) > 1}, key=len, reverse=True
    )
    if not words:
        return text
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )
    return pattern.sub(REDACTED, text)


# --- ranking FAQ entries and other documents ----------------------------------------------------

# Words that say nothing about what someone asks, in the four languages. "Data" is one of them:
# every question here is about data.
_ARABIC_ARTICLE = re.compile(r"(?<!\S)(?:وال|بال|كال|فال|لل|ال)(?=\S\S)")


def _fold(text: str) -> str:
    """Lower case, no accents, Arabic letters unified and without the article."""
    return _ARABIC_ARTICLE.sub("", normalise(text))


_STOPWORD_TEXT = (
    "a an and are as at be by can could do does for from have how i if in is it my of on or "
    "our should so that the their there this to we what when where which who why will with "
    "you your me get use using want need help please data "
    "au aux avec ce ces comment dans de des du elle en est et il je la le les leur mon ne "
    "nous on ou par pas pour qu que quel quelle qui sa se son sur un une vous votre donnees "
    "al como con cual de del el en es esta la las lo los mi mis no para por que se su sus "
    "un una uno y yo datos "
    "في من على الى إلى عن مع هل كيف ما ماذا هذا هذه ذلك التي الذي انا أنا او أو و ثم "
    "بيانات البيانات"
)
STOPWORDS = frozenset(_fold(word) for word in _STOPWORD_TEXT.split())
# A term typed so far ("dupli…") matches longer words it starts; shorter prefixes match too much.
PREFIX_MIN = 3
# Similarity (0-100) from which a word counts as a typo of another.
TYPO_SIMILARITY = 80.0
# How much a match in the body counts against one in the title.
BODY_WEIGHT = 0.7
# How much a shared skill (a synonym in another language, say) counts against a shared word.
CONCEPT_WEIGHT = 1.5
# Below this score (0-100) a document is not worth showing.
DEFAULT_FLOOR = 35.0


@dataclass(frozen=True)
class Document:
    """Something that may answer a question: a FAQ entry now, a library module later."""

    id: int | str
    title: str
    body: str = ""
    language: str = ""


@dataclass(frozen=True)
class Ranked:
    id: int | str
    score: float  # 0-100
    language: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """Skill names in every language, so "tableur" finds an entry about "Excel"."""

    phrases: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word -> (words, code)

    @classmethod
    def of(cls, names: Mapping[str, Iterable[str]]) -> Vocabulary:
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for code, words in names.items():
            for name in {code, *words}:
                phrase = tuple(_words(name))
                if phrase and not (len(phrase) == 1 and phrase[0] in STOPWORDS):
                    index.setdefault(phrase[0], []).append((phrase, code))
        return cls({first: tuple(sorted(set(found))) for first, found in index.items()})

    def concepts(self, words: Sequence[str]) -> frozenset[str]:
        found: set[str] = set()
        for i, word in enumerate(words):
            for phrase, code in self.phrases.get(word, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    found.add(code)
        return frozenset(found)


EMPTY_VOCABULARY = Vocabulary({})


def vocabulary_of(taxonomy: Taxonomy) -> Vocabulary:
    return Vocabulary.of({skill.code: tuple(skill.all_names()) for skill in taxonomy.skills})


@lru_cache(maxsize=16_384)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_fold(text).split())


def _terms(words: Iterable[str]) -> list[str]:
    """Content words, each once, in order."""
    return list(dict.fromkeys(w for w in words if w not in STOPWORDS and (len(w) > 1)))


@dataclass(frozen=True)
class _Indexed:
    document: Document
    title: frozenset[str]
    body: frozenset[str]
    title_text: str
    concepts_title: frozenset[str]
    concepts_body: frozenset[str]


def _index(document: Document, vocabulary: Vocabulary) -> _Indexed:
    title = _words(document.title)
    body = _words(document.body)
    return _Indexed(
        document,
        frozenset(title),
        frozenset(body),
        " ".join(title),
        vocabulary.concepts(title),
        vocabulary.concepts(body),
    )


def _word_match(term: str, words: frozenset[str]) -> float:
    """1 for the word itself, a little less for a word it starts or a typo of one, else 0."""
    if term in words:
        return 1.0
    if len(term) >= PREFIX_MIN and any(w.startswith(term) for w in words):
        return 0.9
    if len(term) < 4 or not words:
        return 0.0  # short words have too many neighbours at one typo's distance
    best = process.extractOne(term, words, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY)
    return 0.85 * best[1] / 100 if best else 0.0


def rank(
    query: str,
    documents: Iterable[Document],
    *,
    vocabulary: Vocabulary = EMPTY_VOCABULARY,
    prefer_language: str = "",
    floor: float = DEFAULT_FLOOR,
    limit: int | None = None,
) -> list[Ranked]:
    """The documents that match `query`, best first, scored 0-100.

    Case, accents and Arabic spelling variants do not matter; a word typed halfway or with a
    typo still matches; a skill named in any language (through `vocabulary`) matches the same
    skill named in another. Words common to every document weigh less. Documents in
    `prefer_language` come before the others; ties go to the smaller id, so the order never
    depends on the order of `documents`.
    """
    query_words = _words(query)
    terms = _terms(query_words)
    wanted = vocabulary.concepts(query_words)
    if not terms and not wanted:
        return []
    indexed = [_index(document, vocabulary) for document in documents]
    weights = _weights(terms, indexed)
    query_text = " ".join(query_words)
    ranked = []
    for item in indexed:
        score = _score(terms, weights, wanted, item)
        if score > 0 and query_text:
            # A query that is (nearly) the title, words in any order, is the best match there is.
            whole = fuzz.token_sort_ratio(query_text, item.title_text)
            if whole >= 90:
                score = max(score, whole)
        if score >= floor and score > 0:
            ranked.append(
                Ranked(item.document.id, round(min(score, 100.0), 2), item.document.language)
            )
    ranked.sort(key=lambda r: (r.language != prefer_language, -r.score, _tie(r.id)))
    return ranked[:limit] if limit is not None else ranked


def _weights(terms: list[str], indexed: list[_Indexed]) -> dict[str, float]:
    """Rarer words weigh more (a smoothed inverse document frequency)."""
    total = len(indexed)
    weights = {}
    for term in terms:
        found = sum(1 for item in indexed if term in item.title or term in item.body)
        weights[term] = 1.0 + math.log((total + 1) / (found + 1))
    return weights


def _score(
    terms: list[str], weights: dict[str, float], wanted: frozenset[str], item: _Indexed
) -> float:
    gained = possible = 0.0
    for term in terms:
        weight = weights[term]
        possible += weight
        gained += weight * max(
            _word_match(term, item.title), BODY_WEIGHT * _word_match(term, item.body)
        )
    for code in wanted:
        possible += CONCEPT_WEIGHT
        if code in item.concepts_title:
            gained += CONCEPT_WEIGHT
        elif code in item.concepts_body:
            gained += CONCEPT_WEIGHT * BODY_WEIGHT
    return 100.0 * gained / possible if possible else 0.0


def _tie(key: int | str) -> tuple[int, int, str]:
    return (0, key, "") if isinstance(key, int) else (1, 0, str(key))
