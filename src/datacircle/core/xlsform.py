"""The scoping questionnaire as an XLSForm (.xlsx) for KoboToolbox or ODK, validated with pyxform.

Names in the form are exactly the questionnaire's question names and choice codes, and the skill
choices are the taxonomy codes, so a deployment's exports map back to the canonical frame with no
configuration. Shape: groups `about`/`part1`/`part2`; skills questions `learn`/`share` as a
select_multiple on the list `skills`, then one select_one `<q>_level_<code>` per skill on the list
`levels_<q>`, shown only when that skill is ticked.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import pycountry
from openpyxl import Workbook
from pyxform.errors import PyXFormError
from pyxform.validators.odk_validate import ODKValidateError
from pyxform.xls2xform import convert

from datacircle.core.questionnaire import Question, Questionnaire, builtin_questionnaire
from datacircle.core.taxonomy import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Taxonomy,
    builtin_taxonomy,
    localised,
)

# XLSForm language names: "English (en)" lets Kobo and Collect recognise the language code.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
}
CONSENT_LIST = "yes_no"
COUNTRY_LIST = "countries"
SKILL_LIST = "skills"
OTHER = "other"

# Texts only the form needs (the web form gets its own from the Django translations).
OTHER_DETAILS: dict[str, str] = {
    "en": "Other: please describe",
    "fr": "Autre : veuillez préciser",
    "es": "Otro: especifique, por favor",
    "ar": "أخرى: يرجى التوضيح",
}
CHOOSE_ALL: dict[str, str] = {
    "en": "Choose all that apply.",
    "fr": "Cochez toutes les réponses qui s'appliquent.",
    "es": "Marque todas las opciones que correspondan.",
    "ar": "اختر كل ما ينطبق.",
}

Row = dict[str, str]


class XLSFormError(ValueError):
    """The form could not be built or pyxform rejected it; the message says which file and why."""


def language_column(kind: str, language: str) -> str:
    """`label::English (en)`: the XLSForm column for a text in one language."""
    return f"{kind}::{LANGUAGE_NAMES[language]} ({language})"


SURVEY_COLUMNS: tuple[str, ...] = (
    "type",
    "name",
    *(language_column("label", lang) for lang in LANGUAGES),
    *(language_column("hint", lang) for lang in LANGUAGES),
    "required",
    "relevant",
    "appearance",
)
CHOICE_COLUMNS: tuple[str, ...] = (
    "list_name",
    "name",
    *(language_column("label", lang) for lang in LANGUAGES),
)
SETTINGS_COLUMNS: tuple[str, ...] = ("form_title", "form_id", "version", "default_language")


def build_xlsform(
    path: Path,
    *,
    questionnaire: Questionnaire | None = None,
    taxonomy: Taxonomy | None = None,
    form_id: str,
    title: str | None = None,
    version: str | None = None,
    default_language: str = DEFAULT_LANGUAGE,
) -> None:
    """Write the questionnaire as an XLSForm workbook (sheets survey, choices, settings)."""
    qn = questionnaire or builtin_questionnaire()
    tax = taxonomy or builtin_taxonomy()
    _check_settings(form_id, default_language)
    settings: Row = {
        "form_title": title or localised(qn.title, default_language),
        "form_id": form_id,
        "version": version or str(qn.version),
        "default_language": f"{LANGUAGE_NAMES[default_language]} ({default_language})",
    }
    sheets = {
        "survey": (SURVEY_COLUMNS, list(survey_rows(qn, tax))),
        "choices": (CHOICE_COLUMNS, list(choice_rows(qn, tax))),
        "settings": (SETTINGS_COLUMNS, [settings]),
    }
    _write_workbook(Path(path), sheets)


def validate_xlsform(path: Path, *, odk_validate: bool = False) -> str:
    """The XForm XML of an XLSForm file, or XLSFormError with pyxform's message.

    `odk_validate` also runs ODK Validate (Java, shipped with pyxform): slower, and stricter
    about XPath expressions than pyxform alone.
    """
    path = Path(path)
    if not path.is_file():
        raise XLSFormError(f"{path}: no such file")
    try:
        return convert(str(path), validate=odk_validate, pretty_print=True).xform
    except (PyXFormError, ODKValidateError) as error:
        raise XLSFormError(f"{path}: {error}") from error


def _check_settings(form_id: str, default_language: str) -> None:
    # The form id becomes the XForm's id and the Kobo/Central asset name: keep it to safe ASCII.
    if not form_id or not all(c.isascii() and (c.isalnum() or c in "_-.") for c in form_id):
        raise XLSFormError(
            f"form id {form_id!r} must be non-empty and use only letters, digits, '_', '-', '.'"
        )
    if default_language not in LANGUAGE_NAMES:
        raise XLSFormError(
            f"default language {default_language!r} is not one of {', '.join(LANGUAGE_NAMES)}"
        )


# --- survey sheet ---------------------------------------------------------------------------


def survey_rows(qn: Questionnaire, tax: Taxonomy) -> Iterator[Row]:
    """Every row of the survey sheet, in order: metadata, then each group and its questions."""
    yield {"type": "start", "name": "start"}
    yield {"type": "end", "name": "end"}
    consented = _consent_condition(qn)
    for group in qn.groups:
        questions = [q for q in qn.questions if q.group == group.name]
        gated = consented and not any(q.type == "consent" for q in questions)
        yield {
            "type": "begin_group",
            "name": group.name,
            **_texts("label", group.label),
            **({"relevant": consented} if gated else {}),
        }
        for q in questions:
            # Inside the consent's own group each later question carries the condition itself.
            condition = consented if consented and not gated and q.type != "consent" else ""
            for row in _question_rows(qn, tax, q):
                if condition and "relevant" not in row:
                    row["relevant"] = condition
                yield row
        yield {"type": "end_group", "name": group.name}


def _consent_condition(qn: Questionnaire) -> str:
    for q in qn.questions:
        if q.type == "consent":
            return f"${{{q.name}}} = 'yes'"
    return ""


def _question_rows(qn: Questionnaire, tax: Taxonomy, q: Question) -> Iterator[Row]:
    label = _texts("label", q.label)
    required = {"required": "yes"} if q.required else {}
    if q.type == "consent":
        hint = {lang: _consent_hint(qn, lang) for lang in LANGUAGES}
        yield {
            "type": f"select_one {CONSENT_LIST}",
            "name": q.name,
            **label,
            **_texts("hint", hint),
            "required": "yes",
        }
    elif q.type == "text":
        yield {"type": "text", "name": q.name, **label, **required}
    elif q.type == "select_one":
        yield {"type": f"select_one {q.choices}", "name": q.name, **label, **required}
    elif q.type == "country":
        # "minimal" shows a drop-down: a list of 249 radio buttons is unusable on a phone.
        yield {
            "type": f"select_one {COUNTRY_LIST}",
            "name": q.name,
            **label,
            **required,
            "appearance": "minimal",
        }
    elif q.type == "select_multiple":
        yield _multiple(q, str(q.choices), required)
        yield from _other_text(q)
    elif q.type == "skills":
        yield _multiple(q, SKILL_LIST, required)
        yield from _level_questions(q, tax)
        yield from _other_text(q)
    else:
        raise XLSFormError(f"question {q.name}: type {q.type!r} has no XLSForm equivalent")


def _consent_hint(qn: Questionnaire, language: str) -> str:
    # The form has no separate intro page: the intro and the consent text sit under the question.
    parts = [localised(qn.intro, language) if qn.intro else "", localised(qn.consent, language)]
    return "\n\n".join(p for p in parts if p)


def _multiple(q: Question, list_name: str, required: Row) -> Row:
    return {
        "type": f"select_multiple {list_name}",
        "name": q.name,
        **_texts("label", q.label),
        **_texts("hint", CHOOSE_ALL),
        **required,
    }


def _other_text(q: Question) -> Iterator[Row]:
    if q.other:
        yield {
            "type": "text",
            "name": q.other,
            **_texts("label", OTHER_DETAILS),
            "relevant": f"selected(${{{q.name}}}, '{OTHER}')",
        }


def level_question_name(question: str, code: str) -> str:
    """`learn_level_gis`: the form's name for the level given with one skill."""
    return f"{question}_level_{code}"


def _level_questions(q: Question, tax: Taxonomy) -> Iterator[Row]:
    for skill in tax.skills:
        label = {
            lang: localised(q.level_label, lang).replace("${skill}", skill.name(lang))
            if q.level_label
            else skill.name(lang)
            for lang in LANGUAGES
        }
        yield {
            "type": f"select_one levels_{q.name}",
            "name": level_question_name(q.name, skill.code),
            **_texts("label", label),
            "relevant": f"selected(${{{q.name}}}, '{skill.code}')",
        }


# --- choices sheet --------------------------------------------------------------------------


def choice_rows(qn: Questionnaire, tax: Taxonomy) -> Iterator[Row]:
    """Every row of the choices sheet: each list the survey uses, once."""
    done: set[str] = set()
    for q in qn.questions:
        for list_name, choices in _lists_of(qn, tax, q):
            if list_name in done:
                continue
            done.add(list_name)
            for name, label in choices:
                yield {"list_name": list_name, "name": name, **_texts("label", label)}


Choices = list[tuple[str, Mapping[str, str]]]


def _lists_of(qn: Questionnaire, tax: Taxonomy, q: Question) -> Iterator[tuple[str, Choices]]:
    if q.type == "consent":
        yield CONSENT_LIST, [(c.code, c.label) for c in qn.choices(q)]
    elif q.type in ("select_one", "select_multiple"):
        yield str(q.choices), [(c.code, c.label) for c in qn.choices(q)]
    elif q.type == "country":
        yield COUNTRY_LIST, country_choices()
    elif q.type == "skills":
        yield SKILL_LIST, [(s.code, s.label) for s in tax.skills] + [(OTHER, _other_label(qn))]
        yield (
            f"levels_{q.name}",
            [(str(v), _level_texts(tax, v)) for v in q.levels],
        )


def _level_texts(tax: Taxonomy, value: int) -> dict[str, str]:
    return {lang: tax.level_label(value, lang) for lang in LANGUAGES}


def _other_label(qn: Questionnaire) -> Mapping[str, str]:
    """The questionnaire's own "Other" texts, so every list says it the same way."""
    for choices in qn.choice_lists.values():
        for c in choices:
            if c.code == OTHER:
                return c.label
    return {"en": "Other"}


@cache
def country_choices() -> Choices:
    """ISO 3166-1 alpha-2 codes with names in every form language, sorted by English name."""
    catalogues = {lang: _country_catalogue(lang) for lang in LANGUAGES if lang != "en"}
    rows: Choices = []
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        texts = {"en": english}
        for lang, catalogue in catalogues.items():
            # Translate the official name: the catalogues' common-name entries are less reliable
            # (the Arabic one renders Moldova as the Maldives).
            translated = catalogue.gettext(country.name) if catalogue else country.name
            texts[lang] = translated if translated != country.name else english
        rows.append((country.alpha_2.upper(), texts))
    return sorted(rows, key=lambda row: row[1]["en"])


def _country_catalogue(language: str) -> gettext.NullTranslations | None:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None


# --- workbook -------------------------------------------------------------------------------


def _texts(kind: str, texts: Mapping[str, str]) -> Row:
    """One column per form language; a missing language falls back to English."""
    return {language_column(kind, lang): localised(texts, lang) for lang in LANGUAGES}


def _write_workbook(path: Path, sheets: Mapping[str, tuple[tuple[str, ...], list[Row]]]) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([row.get(column, "") or None for column in columns])
    try:
        book.save(path)
    except OSError as error:
        raise XLSFormError(f"{path}: cannot write the form ({error.strerror})") from error
