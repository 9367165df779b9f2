"""The help desk's pure rules: routing questions to leaders, due dates in working days, names
kept out of the FAQ, and ranking FAQ entries for a query."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datacircle.core.helpdesk import (
    Document,
    Leader,
    Reason,
    due_on,
    is_overdue,
    rank,
    redact,
    route,
    shares_skill,
    vocabulary_of,
    working_days_between,
)
from datacircle.core.taxonomy import SUPPLY_LEVEL, builtin_taxonomy


def leader(key, role="facilitator", languages=("en",), shares=None, load=0, available=True):
    return Leader(key, role, tuple(languages), dict(shares or {}), load, available)


# --- routing ------------------------------------------------------------------------------------


def test_a_leader_who_shares_the_skill_and_speaks_the_language_gets_it():
    leaders = [
        leader(1, shares={"gis": 4}, languages=("en",)),
        leader(2, shares={"gis": 3}, languages=("fr", "en")),
        leader(3, role="coordinator", shares={}, languages=("fr",)),
    ]
    assert route("gis", "fr", leaders) == (2, Reason.SKILL_AND_LANGUAGE)


def test_the_skill_matters_more_than_the_language():
    leaders = [
        leader(1, shares={"gis": 4}, languages=("en",)),
        leader(2, shares={"spreadsheets": 4}, languages=("ar",)),
    ]
    assert route("gis", "ar", leaders) == (1, Reason.SKILL_ONLY)


def test_a_level_below_supply_does_not_count_as_sharing():
    leaders = [
        leader(1, shares={"gis": SUPPLY_LEVEL - 1}),
        leader(2, role="coordinator", shares={}, load=5),
    ]
    assert route("gis", "en", leaders) == (2, Reason.NO_SKILL)


def test_load_is_balanced_and_ties_go_to_the_smallest_key():
    leaders = [
        leader(7, shares={"gis": 3}, load=2),
        leader(5, shares={"gis": 4}, load=1),
        leader(3, shares={"gis": 3}, load=1),
    ]
    assert route("gis", "en", leaders).leader == 3


def test_leaders_on_a_break_members_and_the_asker_are_never_chosen():
    leaders = [
        leader(1, shares={"gis": 4}, available=False),
        leader(2, role="member", shares={"gis": 4}),
        leader(3, shares={"gis": 4}),
        leader(4, role="coordinator", shares={}, load=9),
    ]
    assert route("gis", "en", leaders, exclude=[3]) == (4, Reason.NO_SKILL)


def test_without_skill_the_least_busy_coordinator_takes_it_not_a_facilitator():
    leaders = [
        leader(1, role="facilitator", shares={}, load=0),
        leader(2, role="coordinator", load=3),
        leader(3, role="coordinator", load=1),
    ]
    assert route("databases", "en", leaders) == (3, Reason.NO_SKILL)


def test_nobody_available_leaves_the_question_open():
    leaders = [leader(1, role="coordinator", available=False), leader(2, role="facilitator")]
    assert route("gis", "en", leaders) == (None, Reason.NOBODY)
    assert route("gis", "en", []) == (None, Reason.NOBODY)


leaders_strategy = st.lists(
    st.builds(
        leader,
        key=st.integers(0, 30),
        role=st.sampled_from(["coordinator", "facilitator", "network_admin", "member"]),
        languages=st.lists(st.sampled_from(["en", "fr", "ar", "es"]), min_size=1, max_size=2),
        shares=st.dictionaries(st.sampled_from(["gis", "analysis"]), st.integers(0, 4)),
        load=st.integers(0, 5),
        available=st.booleans(),
    ),
    max_size=8,
    unique_by=lambda leader: leader.key,
)


@given(
    leaders_strategy,
    st.sampled_from(["gis", "analysis"]),
    st.sampled_from(["en", "fr", "ar"]),
    st.randoms(),
)
def test_routing_follows_its_rules_for_any_pool(leaders, skill, language, rnd):
    result = route(skill, language, leaders)
    pool = [p for p in leaders if p.available and p.role != "member"]
    sharers = [p for p in pool if shares_skill(p, skill)]
    if result.leader is None:
        assert not sharers
        assert not [p for p in pool if p.role in ("coordinator", "network_admin")]
        return
    chosen = next(p for p in leaders if p.key == result.leader)
    assert chosen in pool
    if sharers:
        assert shares_skill(chosen, skill)
        speakers = [p for p in sharers if language in p.languages]
        rivals = speakers or sharers
        assert chosen in rivals
        assert (chosen.load, chosen.key) == min((p.load, p.key) for p in rivals)
    else:
        assert result.reason == Reason.NO_SKILL
    shuffled = list(leaders)
    rnd.shuffle(shuffled)
    assert route(skill, language, shuffled) == result


# --- due dates ----------------------------------------------------------------------------------

FRIDAY = date(2026, 5, 1)


@pytest.mark.parametrize(
    ("asked", "days", "due"),
    [
        (date(2026, 4, 27), 3, date(2026, 4, 30)),  # Monday -> Thursday
        (FRIDAY, 1, date(2026, 5, 4)),  # Friday -> Monday
        (FRIDAY, 3, date(2026, 5, 6)),  # Friday -> Wednesday
        (date(2026, 5, 2), 1, date(2026, 5, 4)),  # Saturday -> Monday
        (date(2026, 5, 3), 3, date(2026, 5, 6)),  # Sunday -> Wednesday
        (date(2026, 4, 29), 5, date(2026, 5, 6)),  # a working week later
        (date(2026, 5, 2), 5, date(2026, 5, 8)),  # Saturday + 5 -> next Friday
        (date(2026, 5, 2), 0, date(2026, 5, 4)),  # same day, moved off the weekend
        (date(2026, 4, 29), 0, date(2026, 4, 29)),
    ],
)
def test_due_dates_skip_weekends(asked, days, due):
    assert due_on(asked, days) == due


def test_a_negative_service_level_is_refused():
    with pytest.raises(ValueError):
        due_on(FRIDAY, -1)


def test_overdue_means_after_the_due_day():
    assert not is_overdue(FRIDAY, FRIDAY)
    assert is_overdue(FRIDAY, FRIDAY + timedelta(days=1))
    assert not is_overdue(None, FRIDAY)


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))


@given(dates, st.integers(1, 400))
def test_due_day_is_a_working_day_exactly_n_working_days_later(asked, days):
    due = due_on(asked, days)
    assert due.weekday() < 5
    assert working_days_between(asked, due) == days
    # The day before the due day is still short of the service level.
    assert working_days_between(asked, due - timedelta(days=1)) == days - 1


@given(dates, st.integers(1, 200))
def test_more_days_never_make_an_earlier_due_date(asked, days):
    assert due_on(asked, days + 1) > due_on(asked, days)
    # At most two weekend days for every five working days, plus one weekend at the start.
    assert (due_on(asked, days) - asked).days <= days + 2 * (days // 5) + 4


@given(dates, dates)
def test_working_days_between_counts_day_by_day(start, end):
    if (end - start).days > 800:
        end = start + timedelta(days=800)
    expected = sum(
        1
        for offset in range(1, (end - start).days + 1)
        if (start + timedelta(days=offset)).weekday() < 5
    )
    assert working_days_between(start, end) == expected


# --- names out of the FAQ -----------------------------------------------------------------------


def test_redact_removes_whole_names_in_any_case():
    text = "Hi Awa, ask AWA DIOP or Awad. Diop's sheet is fine."
    assert redact(text, ["Awa Diop"]) == "Hi …, ask … … or Awad. …'s sheet is fine."


def test_redact_leaves_text_without_names_alone():
    assert redact("Use a pivot table.", []) == "Use a pivot table."
    assert redact("Use a pivot table.", ["A"]) == "Use a pivot table."


# --- ranking ------------------------------------------------------------------------------------

VOCABULARY = vocabulary_of(builtin_taxonomy())
DOCS = [
    Document(
        1, "Remove duplicate rows in Excel", "Select the rows, then Data > Remove duplicates.", "en"
    ),
    Document(
        2,
        "Supprimer les doublons dans un tableur",
        "Dans Excel : Données > Supprimer les doublons.",
        "fr",
    ),
    Document(
        3, "What counts as personal data?", "Names, phone numbers and locations of people.", "en"
    ),
    Document(4, "إزالة التكرارات في جدول البيانات", "في إكسل اختر إزالة التكرارات.", "ar"),
    Document(
        5, "Share a Kobo form with a colleague", "Open the project, then the Sharing tab.", "en"
    ),
    Document(6, "Make a map of the branches in QGIS", "Add the points layer, then style it.", "en"),
]


def ids(results):
    return [r.id for r in results]


def test_accents_and_case_do_not_matter():
    assert ids(rank("DONNÉES PERSONNELLES doublons", DOCS)) == ids(
        rank("donnees personnelles DOUBLONS", DOCS)
    )
    assert ids(rank("supprimer DOUBLONS", DOCS))[0] == 2


def test_a_title_typed_as_is_ranks_first_with_a_full_score():
    results = rank("Share a Kobo form with a colleague", DOCS)
    assert results[0].id == 5 and results[0].score == 100


def test_typos_and_half_typed_words_still_find_the_entry():
    assert ids(rank("dupli", DOCS))[:1] == [1]
    assert 6 in ids(rank("mapp of brnaches", DOCS))


def test_a_skill_named_in_another_language_finds_the_entry_through_the_taxonomy():
    # "tableur" (French for spreadsheet) is a synonym of the skill that "Excel" names too.
    found = ids(rank("tableur", DOCS, vocabulary=VOCABULARY))
    assert 1 in found and 2 in found
    assert 1 not in ids(rank("tableur", DOCS))  # without the vocabulary, no link


def test_arabic_spelling_variants_match():
    assert ids(rank("اكسل", DOCS, vocabulary=VOCABULARY))[:1] == [4]


def test_the_readers_language_comes_first():
    results = rank("duplicates excel", DOCS, vocabulary=VOCABULARY, prefer_language="fr")
    assert results[0].language == "fr"
    assert {1, 2} <= set(ids(results))


def test_unrelated_and_empty_queries_find_nothing():
    assert rank("how do I", DOCS) == []
    assert rank("", DOCS) == []
    assert rank("volcano seismograph", DOCS) == []


def test_a_limit_keeps_the_best():
    assert len(rank("excel", DOCS, vocabulary=VOCABULARY, limit=1)) == 1


words = st.sampled_from(
    ["excel", "kobo", "map", "doublons", "données", "personal", "share", "branches", "qgis", "form"]
)
queries = st.lists(words, min_size=0, max_size=4).map(" ".join)
documents = st.lists(
    st.builds(
        Document,
        id=st.integers(0, 50),
        title=queries,
        body=queries,
        language=st.sampled_from(["en", "fr", "ar"]),
    ),
    max_size=8,
    unique_by=lambda d: d.id,
)


@given(queries, documents, st.sampled_from(["", "en", "fr"]))
def test_ranking_is_well_formed(query, docs, language):
    results = rank(query, docs, vocabulary=VOCABULARY, prefer_language=language)
    assert len({r.id for r in results}) == len(results)
    assert {r.id for r in results} <= {d.id for d in docs}
    assert all(0 < r.score <= 100 for r in results)
    if language:
        preferred = [r.language == language for r in results]
        assert preferred == sorted(preferred, reverse=True)


@given(queries, documents)
def test_ranking_ignores_case_and_document_order(query, docs):
    results = rank(query, docs, vocabulary=VOCABULARY)
    shuffled = list(docs)
    random.Random(len(docs)).shuffle(shuffled)
    assert rank(query.upper(), shuffled, vocabulary=VOCABULARY) == results


@given(documents)
def test_each_documents_own_title_finds_it(docs):
    for doc in docs:
        if rank(doc.title, [doc]):  # titles of stop words only find nothing at all
            assert rank(doc.title, docs)[0].score == 100
            assert doc.id in {r.id for r in rank(doc.title, docs)}
