"""All app catalogues merge into one at run time: the same English (in the same context) must
read the same in every app, counts follow each language's plural rules, and words whose
translation depends on what they describe carry a context."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext, pgettext

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "datacircle"
LANGUAGES = ("fr", "es", "ar")
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 && n%100<=99 ? 4 : 5;",
}
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def entries(po: Path) -> list[dict[str, str]]:
    """A catalogue's entries as fields (msgctxt, msgid, msgid_plural, msgstr, msgstr[n]);
    the header (empty msgid) included."""
    found, current, key = [], {}, None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        match = FIELD.match(line)
        if match:
            if match[1] in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in current):
                found.append(current)
                current = {}
            key = match[1]
            current[key] = _unquote(match[2])
        elif line.startswith('"') and key:
            current[key] += _unquote(line.strip()[1:-1])
        elif not line.strip() and current:
            found.append(current)
            current, key = {}, None
    return found


def catalogues(language: str) -> dict[str, Path]:
    return {
        po.parts[-5]: po
        for po in sorted(PACKAGE.glob(f"*/locale/{language}/LC_MESSAGES/django.po"))
    }


def disagreements(language: str) -> list[str]:
    """Strings (with their context, singular or plural) that two apps translate differently."""
    seen: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    for app, po in catalogues(language).items():
        for entry in entries(po):
            if not entry.get("msgid"):
                continue
            key = (entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"))
            seen[key][app] = tuple(v for k, v in sorted(entry.items()) if k.startswith("msgstr"))
    return [f"{key}: {by_app}" for key, by_app in seen.items() if len(set(by_app.values())) > 1]


def test_the_checker_finds_a_string_translated_two_ways(tmp_path, monkeypatch):
    for app, text in (("one", "Fermée"), ("two", "Clôturé")):
        po = tmp_path / app / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        po.parent.mkdir(parents=True)
        po.write_text(
            f'msgid ""\nmsgstr ""\n\nmsgid "Closed"\nmsgstr "{text}"\n\n'
            f'msgctxt "{app}"\nmsgid "Closed"\nmsgstr "{text}"\n',
            encoding="utf-8",
        )
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path)
    assert disagreements("fr") == [
        "(None, 'Closed', None): {'one': ('Fermée',), 'two': ('Clôturé',)}"
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_app_catalogues_translate_the_same_string_differently(language):
    """Only one translation of a msgid wins at run time: where apps need different words
    (a closed question is « fermée », a closed round « clôturé »), they use a context."""
    assert disagreements(language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_has_its_languages_plural_forms(language):
    for app, po in catalogues(language).items():
        header = next(e for e in entries(po) if e.get("msgid") == "")["msgstr"]
        forms = re.search(r"Plural-Forms: (.*)", header)[1]
        assert forms == PLURAL_FORMS[language], f"{app}/{language}"
        plural = [e for e in entries(po) if "msgid_plural" in e]
        count = int(re.search(r"nplurals=(\d)", forms)[1])
        for entry in plural:
            assert sorted(k for k in entry if k.startswith("msgstr")) == [
                f"msgstr[{n}]" for n in range(count)
            ], f"{app}/{language}: {entry['msgid']}"


def _participants(n: int) -> str:
    """The session page's count of who took part."""
    return Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} participant"
        "{% plural %}{{ counter }} participants{% endblocktranslate %}"
    ).render(Context({"n": n}))


def _held(n: int) -> str:
    """What a facilitator reads after marking a session held (programme/views_sessions.py)."""
    return ngettext(
        "Marked as held, with %(count)d participant.",
        "Marked as held, with %(count)d participants.",
        n,
    ) % {"count": n}


def test_french_counts_read_one_participant_and_three_participants():
    with translation.override("fr"):
        assert _participants(1) == "1 participant"
        assert _participants(3) == "3 participants"
        assert _held(1) == "Marquée comme tenue, avec 1 participant."
        assert _held(3) == "Marquée comme tenue, avec 3 participants."
    with translation.override("es"):
        assert _held(1) == "Marcada como realizada, con 1 participante."
        assert _held(3) == "Marcada como realizada, con 3 participantes."


def test_arabic_uses_the_dual_for_two_and_its_own_form_for_eleven():
    with translation.override("ar"):
        one, two, three, eleven = _held(1), _held(2), _held(3), _held(11)
    assert one == "سُجّل انعقاد الجلسة بمشارك واحد."
    assert two == "سُجّل انعقاد الجلسة بمشاركَين اثنين."  # the dual, no number needed
    assert three == "سُجّل انعقاد الجلسة بـ3 مشاركين."
    assert eleven == "سُجّل انعقاد الجلسة بـ11 مشاركًا."
    assert "(s)" not in _held(2)


@pytest.mark.django_db
def test_a_closed_question_and_a_closed_round_each_read_right():
    from datacircle.helpdesk.models import Question
    from datacircle.maturity.models import Scan
    from datacircle.scoping.models import Round

    with translation.override("fr"):
        assert str(Question.Status.CLOSED.label) == "Fermée"  # une question
        assert str(Round.Status.CLOSED.label) == "Clôturé"  # un cycle
    with translation.override("es"):
        assert str(Question.Status.CLOSED.label) == "Cerrada"  # una pregunta
        assert str(Round.Status.CLOSED.label) == "Cerrada"  # una ronda
        assert str(Scan.Status.CLOSED.label) == "Cerrado"  # un diagnóstico
        assert str(Scan.Status.OPEN.label) == "Abierto a respuestas"
        assert str(Round.Status.OPEN.label) == "Abierta a respuestas"
    with translation.override("ar"):
        assert str(Round.Status.CLOSED.label) == "مغلقة"  # جولة
        assert str(Question.Status.CLOSED.label) == "مغلق"  # سؤال


def test_a_start_date_and_a_sender_read_differently():
    with translation.override("fr"):
        assert pgettext("start date", "From") == "Début"
        assert translation.gettext("From") == "De"
    with translation.override("es"):
        assert pgettext("edit a person", "Edit %(name)s") == "Editar a %(name)s"
        assert pgettext("edit a partner", "Edit %(name)s") == "Editar %(name)s"
