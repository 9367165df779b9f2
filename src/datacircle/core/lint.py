"""The module design linter: the rules of a good Data Circle session (issue 5).

A module that parses (`datacircle.core.modules.parse`) can still be a poor session: too long,
a lecture, outcomes nobody can observe, laptops in an "unplugged" session, personal data without
data-protection guidance. `lint` checks the design rules DC001-DC009 and returns findings that
point at the field (and, given `positions`, the file line) to change.

Messages are English templates with %(name)s placeholders, wrapped in `gettext_noop` so
Django's makemessages collects them; the web layer shows `gettext(message) % params`, the CLI
`format_finding`. Word lists per language (observable and vague verbs, laptop and personal-data
words, the data-protection heading) are in `data/lint.yaml`, which says how words match.

Decisions where the spec leaves room:
- A `lint.disable` entry without a reason does not switch its rule off: the rule still runs and
  DC000 says why. DC000 itself cannot be disabled.
- DC004: an outcome passes when it has an observable verb *before* any vague verb ("will be able
  to list" passes; "will understand how to build a chart" does not: the first verb is what
  participants are asked to show). Verb lists are those of the module's language.
- DC005 compares participatory minutes with the agenda's total (DC002 covers the duration).
- DC008 and DC009 match the module language's words plus the English ones.
- DC009 accepts a Markdown ATX heading (`#` to `######`) whose words start with the
  data-protection heading of any of the four languages ("Data protection", "Data protection
  and consent", "Protection des données", ...), followed, before the next heading of the same
  or a higher level, by at least one non-empty line that is not a heading. Headings inside
  fenced code blocks do not count.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from datacircle.core.i18n import gettext_noop
from datacircle.core.modules import FrozenMap, Module

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "lint.yaml"
MAX_DURATION = 60
MAX_PRESENTATION = 15
CLOSING_KINDS = ("reflection", "close")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error" | "warning"
    title: str
    hint: str


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str  # English template with %(name)s placeholders
    params: Mapping[str, object]
    hint: str
    path: str = ""
    line: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", FrozenMap(self.params))

    @property
    def text(self) -> str:
        return self.message % dict(self.params)


RULES: tuple[Rule, ...] = (
    Rule(
        "DC000",
        "error",
        gettext_noop("Switching a rule off needs a written reason"),
        gettext_noop(
            "Under lint.disable, write after the rule id why the rule does not apply to this "
            "session, e.g. DC007: The session ends with a commitment round."
        ),
    ),
    Rule(
        "DC001",
        "error",
        gettext_noop("A session lasts at most an hour"),
        gettext_noop("Split longer content into several sessions of 60 minutes or less."),
    ),
    Rule(
        "DC002",
        "error",
        gettext_noop("The agenda adds up to the duration"),
        gettext_noop("Change the activities' minutes or the duration so that they agree."),
    ),
    Rule(
        "DC003",
        "error",
        gettext_noop("A session has at least one learning outcome"),
        gettext_noop(
            "Add an outcome such as: Participants will be able to list the questions to ask "
            "before making a dashboard."
        ),
    ),
    Rule(
        "DC004",
        "error",
        gettext_noop("Learning outcomes use observable verbs"),
        gettext_noop(
            "Say what participants will do that you can see or hear (list, draft, calculate, "
            "compare, explain, identify), not what they will understand or know."
        ),
    ),
    Rule(
        "DC005",
        "error",
        gettext_noop("At least half the time is participatory"),
        gettext_noop(
            "Turn part of a presentation into an exercise, discussion or game, or shorten it."
        ),
    ),
    Rule(
        "DC006",
        "error",
        gettext_noop("Presentations last 15 minutes or less"),
        gettext_noop("Cut a long presentation in two with a short exercise or question round."),
    ),
    Rule(
        "DC007",
        "error",
        gettext_noop("The session ends with a reflection or a close"),
        gettext_noop(
            "End with a short reflection or closing round, e.g. each person names one thing "
            "they will do next."
        ),
    ),
    Rule(
        "DC008",
        "error",
        gettext_noop("Unplugged sessions need no laptops"),
        gettext_noop(
            "Use printouts, flip charts or cards instead of screens, or set unplugged to false."
        ),
    ),
    Rule(
        "DC009",
        "error",
        gettext_noop("Sessions that touch personal data include data-protection guidance"),
        gettext_noop(
            "Add a 'Data protection' section to the notes: which personal data the session "
            "uses, why invented or anonymised data is used, and how copies are kept safe or "
            "destroyed."
        ),
    ),
)
_RULES = {r.id: r for r in RULES}


# --- word matching -------------------------------------------------------------------------------

_ARABIC_LETTERS = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None})
_ARABIC_PREFIXES = tuple(
    sorted(
        (
            "وال",
            "بال",
            "فال",
            "كال",
            "لل",
            "ال",
            "وس",
            "فس",
            "ول",
            "وب",
            "و",
            "ف",
            "ب",
            "ل",
            "ك",
            "س",
        ),
        key=len,
        reverse=True,
    )
)
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Lower case, no accents or Arabic diacritics, Arabic letter variants unified."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me"))
    return bare.casefold().translate(_ARABIC_LETTERS)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def _forms(word: str) -> set[str]:
    """The word and, for Arabic, the word without its leading particles (و، ال، س…)."""
    forms = {word}
    if not word.isascii():
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                forms.add(word[len(prefix) :])
    return forms


def _stem_matches(word: str, stem: str, prefix: bool) -> bool:
    long_enough = len(stem) >= 4 or (not stem.isascii() and len(stem) >= 3)
    for form in _forms(word):
        if form == stem:
            return True
        if prefix and long_enough and form.startswith(stem) and len(form) - len(stem) <= 4:
            return True
    return False


@dataclass(frozen=True)
class _Lexicon:
    """Entries (as written in lint.yaml) and how to match them: by stem or exactly."""

    entries: tuple[tuple[str, tuple[str, ...]], ...]
    prefix: bool

    @classmethod
    def of(cls, raw: Iterable[object], prefix: bool) -> _Lexicon:
        entries = tuple((str(e), tuple(words(str(e)))) for e in raw)
        return cls(tuple((text, stems) for text, stems in entries if stems), prefix)

    def find(self, tokens: list[str]) -> tuple[int, str] | None:
        """The first position in `tokens` where an entry matches, and that entry."""
        for i in range(len(tokens)):
            for text, stems in self.entries:
                if i + len(stems) <= len(tokens) and all(
                    _stem_matches(tokens[i + k], stem, self.prefix) for k, stem in enumerate(stems)
                ):
                    return i, text
        return None

    def __add__(self, other: _Lexicon) -> _Lexicon:
        return _Lexicon(self.entries + other.entries, self.prefix)


@dataclass(frozen=True)
class _Language:
    observable: _Lexicon
    vague: _Lexicon
    laptop: _Lexicon
    personal: _Lexicon
    examples: tuple[str, ...]
    heading: str


@dataclass(frozen=True)
class _Lists:
    languages: Mapping[str, _Language]
    personal_skills: frozenset[str]
    headings: tuple[tuple[str, ...], ...] = field(default=())

    def language(self, code: str) -> _Language:
        return self.languages.get(code) or self.languages["en"]


@cache
def _lists() -> _Lists:
    with DATA_FILE.open(encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    headings = raw["data_protection_headings"]
    languages = {
        code: _Language(
            observable=_Lexicon.of(raw["observable_verbs"][code], prefix=True),
            vague=_Lexicon.of(raw["vague_verbs"][code], prefix=False),
            laptop=_Lexicon.of(raw["laptop_words"][code], prefix=True),
            personal=_Lexicon.of(raw["personal_data_words"][code], prefix=True),
            examples=tuple(raw["examples"][code]),
            heading=headings[code],
        )
        for code in headings
    }
    return _Lists(
        languages,
        frozenset(raw["personal_data_skills"]),
        tuple(tuple(words(h)) for h in headings.values()),
    )


# --- the rules -----------------------------------------------------------------------------------


class _Collector:
    def __init__(self, positions: Mapping[str, int] | None) -> None:
        self.positions = positions or {}
        self.findings: list[Finding] = []

    def add(
        self,
        rule_id: str,
        path: str,
        message: str,
        params: Mapping[str, object] | None = None,
        *,
        line: int | None = None,
    ) -> None:
        rule = _RULES[rule_id]
        self.findings.append(
            Finding(
                rule=rule.id,
                severity=rule.severity,
                message=message,
                params=params or {},
                hint=rule.hint,
                path=path,
                line=line if line is not None else self.positions.get(path),
            )
        )


def _disable_findings(module: Module, out: _Collector) -> set[str]:
    """DC000 findings; returns the rules really switched off."""
    off = set()
    for rule_id, reason in module.lint_disabled.items():
        path = f"lint.disable.{rule_id}"
        if rule_id == "DC000":
            out.add("DC000", path, gettext_noop("DC000 cannot be switched off."))
        elif rule_id not in _RULES:
            out.add(
                "DC000",
                path,
                gettext_noop("%(rule)s is not a rule of the module linter (rules: %(rules)s)."),
                {"rule": rule_id, "rules": ", ".join(r.id for r in RULES[1:])},
            )
        elif not str(reason).strip():
            out.add(
                "DC000",
                path,
                gettext_noop(
                    "%(rule)s is switched off without a reason, so it stays on; write why it "
                    "does not apply to this session."
                ),
                {"rule": rule_id},
            )
        else:
            off.add(rule_id)
    return off


def _outcome_findings(module: Module, out: _Collector) -> None:
    if not module.outcomes:
        out.add("DC003", "outcomes", gettext_noop("The module has no learning outcome."))
        return
    language = _lists().language(module.language)
    examples = ", ".join(language.examples)
    for i, outcome in enumerate(module.outcomes):
        tokens = words(outcome)
        observable = language.observable.find(tokens)
        vague = language.vague.find(tokens)
        if observable is not None and (vague is None or observable[0] < vague[0]):
            continue
        params = {"number": i + 1, "examples": examples}
        if vague is not None:
            out.add(
                "DC004",
                f"outcomes[{i}]",
                gettext_noop(
                    "Outcome %(number)s asks participants to '%(verb)s', which nobody can "
                    "observe; say what they will do, such as %(examples)s."
                ),
                {**params, "verb": vague[1]},
            )
        else:
            out.add(
                "DC004",
                f"outcomes[{i}]",
                gettext_noop(
                    "Outcome %(number)s has no observable verb; say what participants will do, "
                    "such as %(examples)s."
                ),
                params,
            )


def _agenda_findings(module: Module, out: _Collector) -> None:
    agenda = module.agenda
    total = sum(a.minutes for a in agenda)
    if not agenda:
        out.add(
            "DC002",
            "agenda",
            gettext_noop(
                "The agenda is empty; add activities whose minutes add up to the %(duration)s "
                "minutes of the session."
            ),
            {"duration": module.duration},
        )
        return  # DC005-DC007 would only repeat that the agenda is missing
    if total != module.duration:
        out.add(
            "DC002",
            "agenda",
            gettext_noop(
                "The agenda adds up to %(agenda)s minutes but the duration is %(duration)s minutes."
            ),
            {"agenda": total, "duration": module.duration},
        )
    participatory = sum(a.minutes for a in agenda if a.participatory)
    if participatory * 2 < total:
        out.add(
            "DC005",
            "agenda",
            gettext_noop(
                "Only %(participatory)s of the %(total)s minutes are participatory; make it at "
                "least %(needed)s."
            ),
            {"participatory": participatory, "total": total, "needed": math.ceil(total / 2)},
        )
    for i, activity in enumerate(agenda):
        if activity.kind == "presentation" and activity.minutes > MAX_PRESENTATION:
            out.add(
                "DC006",
                f"agenda[{i}]",
                gettext_noop(
                    "A presentation block lasts %(minutes)s minutes; keep each to %(limit)s "
                    "minutes or less."
                ),
                {"minutes": activity.minutes, "limit": MAX_PRESENTATION},
            )
    last = agenda[-1]
    if last.kind not in CLOSING_KINDS:
        out.add(
            "DC007",
            f"agenda[{len(agenda) - 1}]",
            gettext_noop(
                "The session ends with a %(kind)s ('%(title)s'); end with a reflection or a close."
            ),
            {"kind": last.kind, "title": last.title},
        )


def _materials_findings(module: Module, out: _Collector) -> None:
    if not module.unplugged:
        return
    lists = _lists()
    lexicon = lists.language(module.language).laptop
    if module.language != "en":
        lexicon = lexicon + lists.languages["en"].laptop
    for i, material in enumerate(module.materials):
        found = lexicon.find(words(material))
        if found is not None:
            out.add(
                "DC008",
                f"materials[{i}]",
                gettext_noop(
                    "The session is unplugged but this material needs a device ('%(word)s')."
                ),
                {"word": found[1]},
            )


def _personal_data_reason(module: Module) -> str | None:
    """Why the module touches personal data (a skill or a word and where), or None."""
    lists = _lists()
    for skill in module.skills:
        if skill in lists.personal_skills:
            return gettext_noop("skill %(code)s", code=skill)
    lexicon = lists.language(module.language).personal
    if module.language != "en":
        lexicon = lexicon + lists.languages["en"].personal
    texts = [("title", module.title), ("summary", module.summary)]
    texts += [(f"outcomes[{i}]", o) for i, o in enumerate(module.outcomes)]
    for i, a in enumerate(module.agenda):
        texts += [(f"agenda[{i}].title", a.title), (f"agenda[{i}].description", a.description)]
    texts += [(f"materials[{i}]", m) for i, m in enumerate(module.materials)]
    for path, text in texts:
        found = lexicon.find(words(text))
        if found is not None:
            return gettext_noop("'%(word)s' in %(field)s", word=found[1], field=path)
    return None


_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def _headings(body: str) -> list[tuple[int, int, str]]:
    """(line index in body, level, text) of each ATX heading outside fenced code."""
    found = []
    fenced = False
    for i, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            found.append((i, len(match.group(1)), match.group(2) or ""))
    return found


def _protection_section(body: str) -> tuple[bool, int | None]:
    """(has a data-protection section with content, body line index of an empty one)."""
    lines = body.split("\n")
    headings = _headings(body)
    names = _lists().headings
    empty_at = None
    for n, (index, level, text) in enumerate(headings):
        tokens = tuple(words(text))
        if not any(tokens[: len(name)] == name for name in names):
            continue
        end = next((i for i, lv, _ in headings[n + 1 :] if lv <= level), len(lines))
        inner = {i for i, _, _ in headings[n + 1 :] if i < end}
        if any(lines[i].strip() for i in range(index + 1, end) if i not in inner):
            return True, None
        empty_at = index if empty_at is None else empty_at
    return False, empty_at


def _protection_findings(module: Module, out: _Collector) -> None:
    reason = _personal_data_reason(module)
    if reason is None:
        return
    ok, empty_at = _protection_section(module.body)
    if ok:
        return
    heading = _lists().language(module.language).heading
    body_line = out.positions.get("body")
    if empty_at is not None:
        out.add(
            "DC009",
            "body",
            gettext_noop(
                "The '%(heading)s' section is empty; write the data-protection guidance under it."
            ),
            {"heading": heading},
            line=body_line + empty_at if body_line is not None else None,
        )
    else:
        out.add(
            "DC009",
            "body",
            gettext_noop(
                "The session touches personal data (%(reason)s) but its notes have no "
                "'%(heading)s' section."
            ),
            {"reason": reason, "heading": heading},
        )


def lint(module: Module, *, positions: Mapping[str, int] | None = None) -> list[Finding]:
    """The design findings of a module, by line (findings without a line last), then rule."""
    out = _Collector(positions)
    off = _disable_findings(module, out)
    checks = _Collector(positions)
    if module.duration > MAX_DURATION:
        checks.add(
            "DC001",
            "duration",
            gettext_noop("The session lasts %(duration)s minutes; keep it to %(limit)s or less."),
            {"duration": module.duration, "limit": MAX_DURATION},
        )
    _agenda_findings(module, checks)
    _outcome_findings(module, checks)
    _materials_findings(module, checks)
    _protection_findings(module, checks)
    out.findings += [f for f in checks.findings if f.rule not in off]
    return sorted(out.findings, key=lambda f: (f.line is None, f.line or 0, f.rule))


def format_finding(finding: Finding, source: str) -> str:
    """One CLI line: "file.md:12: error DC006 agenda[1]: <message> Hint: <hint>"."""
    where = f"{source}:{finding.line}" if finding.line is not None else source
    path = f" {finding.path}" if finding.path else ""
    return f"{where}: {finding.severity} {finding.rule}{path}: {finding.text} Hint: {finding.hint}"
