"""Coding free-text answers ("other" skills, "other" barriers) to taxonomy or choice codes.

A `Coder` matches each part of an answer against a vocabulary (code -> names in every language)
and against coordinators' earlier `Correction`s: exact corrections first, then exact names, then
names found as whole words inside the part, then fuzzy matching (rapidfuzz) for typos and for
texts similar to corrected ones. What it is not sure about goes to the review queue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from datacircle.core.questionnaire import Choice
    from datacircle.core.taxonomy import Taxonomy

Source = Literal["correction", "synonym", "fuzzy"]

DEFAULT_THRESHOLD = 88.0
# Fuzzy matches scoring below this are noise, not even worth showing a reviewer.
SUGGESTION_FLOOR = 60.0
# Names this short ("r", "bi") match only as exact whole words: fuzzily they match anything.
SHORT_NAME = 2
# Longest run of words tried as a fuzzy window inside a longer part ("learn spredsheets").
MAX_WINDOW = 3
# Parts longer than this are sentences: fuzzy windows would cost more than they find.
MAX_WINDOW_WORDS = 12
# A fuzzy window this good explains its words; a weaker one is only a suggestion, and one
# below WINDOW_FLOOR is not even that (a high cutoff also lets rapidfuzz skip most names).
WINDOW_EXPLAINS = 85.0
WINDOW_FLOOR = 75.0
FUZZY_ALTERNATIVES = 5
# Suggestions shown to a reviewer for each part that needs one.
REVIEW_SUGGESTIONS = 3
MEMO_SIZE = 200_000


# --- normalisation -------------------------------------------------------------------------

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",  # Persian yeh, common in Arabic typed on Persian keyboards
        "ک": "ك",
        "ة": "ه",
        "ـ": None,  # tatweel
        "\u0670": None,  # superscript alef
        **{chr(c): None for c in range(0x064B, 0x0660)},  # tashkeel
    }
)
# Kept after a letter or digit so that "C++", "C#" and "notepad++" stay distinct words.
_WORD_SYMBOLS = "+#"


# What the walk over a text does with each character (see _fold_characters).
_LETTER, _LETTER_WITH_MARKS, _ACCENT, _SPACING_MARK, _INVISIBLE, _WORD_SYMBOL, _GAP = range(7)


def _kind(ch: str) -> int:
    category = unicodedata.category(ch)
    if category == "Mn":
        return _ACCENT
    if category == "Cf":  # zero-width joiners, direction marks: invisible, drop
        return _INVISIBLE
    if category[0] == "M":  # spacing marks belong to the letter before, like Mn
        return _SPACING_MARK
    if category[0] in "LN":
        # Marks on non-Latin letters carry meaning (Devanagari vowels); on Latin, accents.
        latin = ch.isascii() or unicodedata.name(ch, "LATIN").startswith("LATIN")
        return _LETTER if latin or not ch.isalpha() else _LETTER_WITH_MARKS
    return _WORD_SYMBOL if ch in _WORD_SYMBOLS else _GAP


_KINDS: dict[str, int] = {}


def _fold_characters(text: str) -> str:
    out: list[str] = []
    marks_kept = after_word = False
    for ch in unicodedata.normalize("NFD", text):
        kind = _KINDS.get(ch)
        if kind is None:
            kind = _KINDS[ch] = _kind(ch)
        if kind == _ACCENT:
            if marks_kept:
                out.append(ch)
        elif kind == _SPACING_MARK:
            out.append(ch)
            after_word = False
        elif kind in (_LETTER, _LETTER_WITH_MARKS):
            out.append(ch)
            marks_kept = kind == _LETTER_WITH_MARKS
            after_word = True
        elif kind == _WORD_SYMBOL and after_word:
            out.append(ch)  # "c++": stays after a letter or digit, and after itself
            marks_kept = False
        elif kind != _INVISIBLE:
            out.append(" ")
            marks_kept = after_word = False
    return unicodedata.normalize("NFC", "".join(out))


def _normalise_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC_FOLD)
    return " ".join(_fold_characters(text).split())


def _simple_characters() -> dict[int, str]:
    """What the character walk makes of each common character that needs no context.

    Letters of the Latin, Greek, Cyrillic, Arabic… blocks, punctuation and spaces fold the same
    wherever they stand; marks, invisible characters and "+#" depend on their neighbours, so a
    text containing them takes the walk.
    """
    table: dict[int, str] = {}
    for code in range(0x3000):
        ch = chr(code)
        category = unicodedata.category(ch)
        if ch in _WORD_SYMBOLS or category[0] in "MC" and category != "Cc":
            continue
        folded = _fold_characters(ch)
        if category[0] in "LN" and folded.isalnum():
            table[code] = folded
        elif category[0] in "PSZC":
            table[code] = " "
    return table


_SIMPLE = _simple_characters()
_SIMPLE_SET = frozenset(map(chr, _SIMPLE))
_NON_WORD = re.compile(r"[^a-z0-9+#]+")
# "+" and "#" not after a letter, a digit or a kept "+#" ("c++" stays, "excel +" does not).
_LOOSE_SYMBOLS = re.compile(r"(?<!(?:[^\W_]|[+#]))[+#]+")


@lru_cache(maxsize=65_536)  # answers repeat a lot: "excel" is typed thousands of times
def normalise(text: str) -> str:
    """Casefolded, accent-free (Latin), Arabic-normalised text; punctuation as single spaces."""
    if text.isascii():  # the common case, without any per-character work in Python
        text = _NON_WORD.sub(" ", text.lower())
        return " ".join(_LOOSE_SYMBOLS.sub(" ", text).split())
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC_FOLD)
    if _SIMPLE_SET.issuperset(text):  # accented Latin, Arabic…: one table lookup a character
        return " ".join(_LOOSE_SYMBOLS.sub(" ", text.translate(_SIMPLE)).split())
    result = _normalise_once(text)
    # Unicode case folding and compatibility forms can interact; a couple of rounds reach the
    # fixed point for every real text, which keeps normalise idempotent.
    for _ in range(3):
        again = _normalise_once(result)
        if again == result:
            break
        result = again
    return result


# An Arabic article, alone or after "and", "with", "as", "so", "for": "والبيانات" -> "بيانات".
_ARABIC_ARTICLE = re.compile(r"(?<!\S)(?:وال|بال|كال|فال|لل|ال)(?=\S\S)")


@lru_cache(maxsize=65_536)
def _match_key(text: str) -> str:
    """The words of `text` as matched: normalised, without Arabic articles (names are listed
    with or without them)."""
    return _ARABIC_ARTICLE.sub("", normalise(text))


def _words(text: str) -> list[str]:
    return _match_key(text).split()


# Words that say nothing about *which* skill or barrier: a part made only of them is ignored,
# and they do not count against a name found inside a longer part.
_FILLER_TEXT = """
a an the and or of for to in on with by at from as about also etc eg e g ie i me my we our
use using used how want would like learn learning more better some basic basics advanced
skill skills knowledge training course courses especially such other others
le la les l un une des de du d et ou en pour avec sur dans par au aux utiliser utilisation
apprendre comment plus mieux competence competences formation connaissances notamment je j
mon ma mes autre autres
el los las unos unas del y o para con por al usar uso aprender como mas mejor habilidades
conocimientos capacitacion curso otro otros otra otras
في من على إلى الى عن مع و أو او استخدام تعلم كيفية مهارات مهارة تدريب معرفة غير أخرى اخرى
"""
FILLER_WORDS: frozenset[str] = frozenset(w for t in _FILLER_TEXT.split() for w in _words(t))

# Answers meaning "nothing to add": coded to nothing, unless the vocabulary has them as names.
_NO_ANSWERS = (
    "none",
    "n/a",
    "na",
    "nothing",
    "no",
    "nil",
    "not applicable",
    "aucun",
    "aucune",
    "rien",
    "ninguno",
    "ninguna",
    "nada",
    "لا",
    "لا شيء",
    "لا يوجد",
)


# --- splitting -----------------------------------------------------------------------------

_SEPARATORS = (
    r"[,;\n\r|،؛]"
    r"|(?<!\b\w)/|/(?!\w\b)"  # "excel/sql" splits, "n/a" does not
    r"|\s+(?:and|et|y|e|و)\s+"
    r"|\s+&\s*|\s*&\s+"  # "excel & sql" splits, "M&E" and "R&D" do not
    r"|(?<!\+)\+(?!\+)"  # "excel+sql" splits, "C++" does not
)
_SEPARATOR_RE = re.compile(_SEPARATORS, re.IGNORECASE)


def _fold_char(ch: str) -> str:
    """One character, casefolded and without accent, still one character (keeps offsets)."""
    folded = ch.casefold()
    if len(folded) != 1:
        folded = ch
    decomposed = unicodedata.normalize("NFD", folded)
    return decomposed[0] if decomposed[0].isalpha() else folded


class _FoldTable(dict):
    """str.translate table filled on first use of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_FOLD_TABLE)


@lru_cache(maxsize=64)
def _splitter(keep: frozenset[str]) -> re.Pattern[str]:
    """Separators, with the `keep` phrases matched first so that they are never cut."""
    folded = sorted({_fold(p.strip()) for p in keep if p.strip()}, key=len, reverse=True)
    if not folded:
        return _SEPARATOR_RE
    alternatives = (r"\s+".join(re.escape(w) for w in p.split()) for p in folded)
    pattern = "|".join(rf"(?<!\w){a}(?!\w)" for a in alternatives)
    return re.compile(f"(?P<keep>{pattern})|(?P<sep>{_SEPARATORS})", re.IGNORECASE)


def split_answer(text: str, keep: Iterable[str] = ()) -> list[str]:
    """The parts of an answer ("Excel, Power BI and mapping" -> 3 parts), stripped.

    Splits on , ; / | newlines, Arabic comma and semicolon, the words and/et/y/e/و, and
    free-standing & and +; never inside a word, nor inside one of the `keep` phrases
    (multi-word names such as "monitoring and evaluation"). Empty parts are dropped.
    """
    return _split(text, _splitter(frozenset(keep)))


def _has_words(piece: str) -> bool:
    # The regex settles nearly every piece; normalise decides the odd ones ("㎏" -> "kg").
    return bool(_WORD_CHARACTER.search(piece) or normalise(piece))


_WORD_CHARACTER = re.compile(r"[^\W_]")


def _split(text: str, splitter: re.Pattern[str]) -> list[str]:
    text = text.strip()
    if not _SEPARATOR_RE.search(text):
        return [text] if _has_words(text) else []
    if splitter is _SEPARATOR_RE:
        pieces = splitter.split(text)
    else:
        pieces, start = [], 0
        for m in splitter.finditer(_fold(text)):
            if m.lastgroup == "sep":
                pieces.append(text[start : m.start()])
                start = m.end()
        pieces.append(text[start:])
    return [p.strip() for p in pieces if _has_words(p)]


# --- public data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float  # 0-100
    matched: str  # the name or the earlier correction that matched
    source: Source
    part: str = ""  # the part of the answer this suggestion is for


@dataclass(frozen=True)
class Correction:
    """A coordinator's decision: this text means these codes (none: not a skill, ignore it)."""

    text: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class CodingResult:
    """How an answer was coded, and whether a person should look at it."""

    text: str
    codes: tuple[str, ...]  # confident codes, in the order the answer mentions them
    parts: tuple[str, ...]
    uncertain: tuple[Suggestion, ...]  # best guesses for parts that need a person
    needs_review: bool


# --- matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    codes: tuple[str, ...]
    matched: str
    source: Source


@dataclass(frozen=True)
class _PartAnalysis:
    """Everything known about one part, independent of threshold (so it can be memoised)."""

    candidates: tuple[Suggestion, ...]  # best first, one per code
    ignore_score: float  # how sure we are the part means nothing (0: not at all)


def _key(words: Iterable[str]) -> str:
    return " ".join(words)


def _is_filler(word: str) -> bool:
    # Numbers ("excel 2016", "python 3") never tell which skill is meant either.
    return word in FILLER_WORDS or word.isdigit()


def _fuzzy_key(words: list[str], in_order: bool = False) -> str:
    """Without filler words "learn comprendre les donées" is as close to its name as
    "comprendre données"; sorted, the words match in any order ("visualisation of data"), but
    a typo in a first letter moves a word, so the words in order are tried too."""
    meaningful = [w for w in words if not _is_filler(w)] or words
    return " ".join(meaningful if in_order else sorted(meaningful))


class Coder:
    """Codes free-text answers against a vocabulary and coordinators' corrections."""

    def __init__(
        self,
        vocabulary: Mapping[str, Iterable[str]],
        corrections: Iterable[Correction] = (),
    ):
        self._vocabulary = {code: tuple(names) for code, names in vocabulary.items()}
        self._corrections = tuple(corrections)
        self._phrases = self._index_phrases()
        self._longest = max((k.count(" ") + 1 for k in self._phrases), default=1)
        # Names such as "monitoring and evaluation" are never split. Corrected texts are not
        # protected this way (a corrected whole answer is recognised before splitting): there
        # may be thousands, and each would slow the splitting of every answer.
        names = {n for names in self._vocabulary.values() for n in names}
        self._splitter = _splitter(frozenset(n for n in names if len(split_answer(n)) > 1))
        self._sorted_keys, self._sorted_entries = self._index_fuzzy(in_order=False)
        self._ordered_keys, self._ordered_entries = self._index_fuzzy(in_order=True)
        # Answers repeat a lot ("Excel" thousands of times): remember each part's analysis.
        self._by_key: dict[str, _PartAnalysis] = {}
        self._by_part: dict[str, _PartAnalysis] = {}
        self._by_answer: dict[tuple[str, float], CodingResult] = {}

    @classmethod
    def for_skills(cls, taxonomy: Taxonomy, corrections: Iterable[Correction] = ()) -> Coder:
        return cls({s.code: tuple(s.all_names()) for s in taxonomy.skills}, corrections)

    @classmethod
    def for_choices(
        cls,
        choices: Iterable[Choice],
        extra: Mapping[str, Iterable[str]] | None = None,
        corrections: Iterable[Correction] = (),
    ) -> Coder:
        """A coder for a choice list (barriers…): each choice's code and labels, plus `extra`."""
        choices = tuple(choices)
        extra = extra or {}
        unknown = sorted(set(extra) - {c.code for c in choices})
        if unknown:
            raise ValueError(f"extra names given for codes not in the choice list: {unknown}")
        return cls(
            {c.code: (c.code, *c.label.values(), *extra.get(c.code, ())) for c in choices},
            corrections,
        )

    def with_corrections(self, corrections: Iterable[Correction]) -> Coder:
        """A new coder that also knows `corrections` (later ones win over earlier ones)."""
        return Coder(self._vocabulary, (*self._corrections, *corrections))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._vocabulary)

    # -- indexes --

    def _index_phrases(self) -> dict[str, _Entry]:
        codes_by_key: dict[str, dict[str, None]] = {}
        matched: dict[str, str] = {}
        for code, names in self._vocabulary.items():
            for name in names:
                key = _match_key(name)
                if key:
                    codes_by_key.setdefault(key, {})[code] = None
                    matched.setdefault(key, name)
        phrases = {k: _Entry(tuple(c), matched[k], "synonym") for k, c in codes_by_key.items()}
        for text in _NO_ANSWERS:
            phrases.setdefault(_match_key(text), _Entry((), text, "correction"))
        for correction in self._corrections:
            key = _match_key(correction.text)
            if key:
                phrases[key] = _Entry(tuple(correction.codes), correction.text, "correction")
        return phrases

    def _index_fuzzy(self, in_order: bool) -> tuple[list[str], list[_Entry]]:
        """Names and corrected texts as fuzzy keys (see _fuzzy_key), with what they mean."""
        by_key: dict[str, _Entry] = {}
        for key, entry in self._phrases.items():
            if len(key) <= SHORT_NAME:
                continue
            fuzzy = _fuzzy_key(key.split(), in_order)
            known = by_key.get(fuzzy)
            if known is None:
                by_key[fuzzy] = entry
            elif bool(known.codes) == bool(entry.codes):
                codes = tuple(dict.fromkeys((*known.codes, *entry.codes)))
                by_key[fuzzy] = _Entry(codes, known.matched, known.source)
            elif entry.source == "correction":  # a person's decision beats a name
                by_key[fuzzy] = entry
        return list(by_key), list(by_key.values())

    # -- public API --

    def parts(self, text: str) -> list[str]:
        """The parts an answer is coded in; a text known as a whole is never split."""
        if _SEPARATOR_RE.search(text) and _match_key(text) in self._phrases:
            return [text.strip()]
        return _split(text, self._splitter)

    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]:
        """Up to `limit` suggestions for each part of the answer, best first within a part."""
        suggestions: list[Suggestion] = []
        for part in self.parts(text):
            suggestions.extend(self._analyse(part).candidates[:limit])
        return suggestions

    def code(self, text: str, threshold: float = DEFAULT_THRESHOLD) -> CodingResult:
        """The codes of an answer: every suggestion scoring at least `threshold` is kept; a part
        with none (and not known to mean nothing) puts the answer in the review queue."""
        known = self._by_answer.get((text, threshold))
        if known is None:
            known = self._code(text, threshold)
            if len(self._by_answer) >= MEMO_SIZE:
                self._by_answer.clear()
            self._by_answer[text, threshold] = known
        return known

    def _code(self, text: str, threshold: float) -> CodingResult:
        parts = self.parts(text)
        codes: dict[str, None] = {}
        uncertain: list[Suggestion] = []
        needs_review = False
        for part in parts:
            analysis = self._analyse(part)
            confident = [s for s in analysis.candidates if s.score >= threshold]
            best = analysis.candidates[0].score if analysis.candidates else 0.0
            if analysis.ignore_score >= threshold and analysis.ignore_score >= best:
                continue
            if confident:
                codes.update((s.code, None) for s in confident)
                continue
            needs_review = True
            uncertain.extend(analysis.candidates[:REVIEW_SUGGESTIONS])
        return CodingResult(text, tuple(codes), tuple(parts), tuple(uncertain), needs_review)

    # -- one part --

    def _analyse(self, part: str) -> _PartAnalysis:
        known = self._by_part.get(part)
        if known is not None:
            return known
        key = _match_key(part)
        cached = self._by_key.get(key)
        if cached is None:
            cached = _remember(self._by_key, key, self._analyse_words(key))
        # Parts that normalise alike share the analysis; name the part actually asked about.
        named = _PartAnalysis(
            tuple(_for_part(s, part) for s in cached.candidates), cached.ignore_score
        )
        return _remember(self._by_part, part, named)

    def _analyse_words(self, key: str) -> _PartAnalysis:
        """Exact text, then names inside it, then fuzzy matches (see the module docstring)."""
        entry = self._phrases.get(key)
        if entry is not None:
            if not entry.codes:
                return _PartAnalysis((), 100.0)
            return _PartAnalysis(
                tuple(Suggestion(c, 100.0, entry.matched, entry.source) for c in entry.codes),
                0.0,
            )
        words = key.split()
        content = [not _is_filler(w) for w in words]
        if not any(content):
            return _PartAnalysis((), 100.0)
        coverage = [0.0] * len(words)
        found: dict[str, Suggestion] = {}
        ignore_score = self._contained(words, coverage, found)
        whole: dict[str, Suggestion] = {}
        if not all(c >= 1.0 for c, wanted in zip(coverage, content, strict=True) if wanted):
            ignore_score = max(ignore_score, self._fuzzy_whole(words, whole))
            # Windows find a typo beside other words ("excel qgsi"); when the whole part is
            # already a good match they could only add noise, and they cost the most.
            best = max((s.score for s in whole.values()), default=0.0)
            if best < WINDOW_EXPLAINS and 1 < len(words) <= MAX_WINDOW_WORDS:
                self._fuzzy_windows(words, content, coverage, found)
        ranked = _scored(found.values(), content, coverage)
        for suggestion in whole.values():
            _keep_best(ranked, suggestion)
        return _PartAnalysis(tuple(sorted(ranked.values(), key=lambda s: -s.score)), ignore_score)

    def _contained(self, words: list[str], coverage: list[float], found: dict) -> float:
        """Names found as whole words, longest first; returns 100 if only ignorable ones."""
        i, any_code, any_ignore = 0, False, False
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                entry = self._phrases.get(_key(words[i : i + n]))
                if entry is not None and _standalone(words, i, n):
                    coverage[i : i + n] = [1.0] * n
                    for code in entry.codes:
                        _keep_best(found, Suggestion(code, 1.0, entry.matched, entry.source))
                    any_code |= bool(entry.codes)
                    any_ignore |= not entry.codes
                    i += n
                    break
            else:
                i += 1
        covered = all(c >= 1.0 or _is_filler(w) for c, w in zip(coverage, words, strict=True))
        return 100.0 if covered and any_ignore and not any_code else 0.0

    def _fuzzy_windows(
        self, words: list[str], content: list[bool], coverage: list[float], found: dict
    ) -> None:
        """Typos inside a longer part: fuzzy-match runs of words no exact name explained."""
        matches = []
        for i, j in _uncovered_windows(content, coverage):
            query = _fuzzy_key(words[i:j])
            if len(query) <= SHORT_NAME:
                continue
            best = process.extractOne(
                query,
                self._sorted_keys,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=WINDOW_FLOOR,
            )
            if best is not None and self._sorted_entries[best[2]].codes:
                matches.append((best[1], i, j, self._sorted_entries[best[2]]))
        taken: set[int] = set()
        for score, i, j, entry in sorted(matches, key=lambda m: -m[0]):
            if taken.isdisjoint(range(i, j)):
                taken.update(range(i, j))
                if score >= WINDOW_EXPLAINS:
                    coverage[i:j] = [score / 100] * (j - i)
                for code in entry.codes:
                    _keep_best(found, Suggestion(code, score / 100, entry.matched, _fuzzy(entry)))

    def _fuzzy_whole(self, words: list[str], whole: dict[str, Suggestion]) -> float:
        """The whole part against every name and corrected text; returns the ignore score."""
        ignore = self._fuzzy_whole_keys(
            _fuzzy_key(words), self._sorted_keys, self._sorted_entries, whole
        )
        if max([ignore, *(s.score for s in whole.values())]) < WINDOW_EXPLAINS:
            in_order = self._fuzzy_whole_keys(
                _fuzzy_key(words, in_order=True), self._ordered_keys, self._ordered_entries, whole
            )
            ignore = max(ignore, in_order)
        return ignore

    def _fuzzy_whole_keys(
        self, query: str, keys: list[str], entries: list[_Entry], whole: dict[str, Suggestion]
    ) -> float:
        if len(query) <= SHORT_NAME:
            return 0.0
        ignore = 0.0
        for _, score, index in process.extract(
            query,
            keys,
            scorer=fuzz.ratio,
            processor=None,
            limit=FUZZY_ALTERNATIVES,
            score_cutoff=SUGGESTION_FLOOR,
        ):
            entry = entries[index]
            if not entry.codes:  # a text a coordinator said means nothing
                ignore = max(ignore, score)
            for code in entry.codes:
                _keep_best(whole, Suggestion(code, round(score, 1), entry.matched, _fuzzy(entry)))
        return ignore


def _fuzzy(entry: _Entry) -> Source:
    return "correction" if entry.source == "correction" else "fuzzy"


def _remember(memo: dict[str, _PartAnalysis], key: str, value: _PartAnalysis) -> _PartAnalysis:
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


def _for_part(suggestion: Suggestion, part: str) -> Suggestion:
    return Suggestion(
        suggestion.code, suggestion.score, suggestion.matched, suggestion.source, part
    )


def _keep_best(found: dict[str, Suggestion], suggestion: Suggestion) -> None:
    known = found.get(suggestion.code)
    if known is None or suggestion.score > known.score:
        found[suggestion.code] = suggestion


def _standalone(words: list[str], i: int, n: int) -> bool:
    """A short name ("r") counts only if it is not a piece of an acronym ("r d" from "R&D")."""
    if len(_key(words[i : i + n])) > SHORT_NAME:
        return True
    neighbours = words[max(i - 1, 0) : i] + words[i + n : i + n + 1]
    return all(len(w) > 1 for w in neighbours)


def _uncovered_windows(content: list[bool], coverage: list[float]) -> Iterator[tuple[int, int]]:
    """(start, end) of word windows starting and ending on an unexplained content word."""
    open_word = [wanted and c < 1.0 for wanted, c in zip(content, coverage, strict=True)]
    for i, starts in enumerate(open_word):
        if not starts:
            continue
        for j in range(i + 1, min(i + MAX_WINDOW, len(open_word)) + 1):
            if any(c >= 1.0 for c in coverage[i:j]):
                break
            if open_word[j - 1]:
                yield i, j


def _scored(
    found: Iterable[Suggestion], content: list[bool], coverage: list[float]
) -> dict[str, Suggestion]:
    """Final 0-100 scores of names found inside a part, by code.

    A name scores its own quality (1 for an exact name, the fuzzy ratio for a typo) times how
    much of the part's meaningful words the names found explain: "QGIS maps" is fully
    explained (100), "access to internet" only half (85, below the default threshold).
    """
    explained = sum(c for c, wanted in zip(coverage, content, strict=True) if wanted) / max(
        sum(content), 1
    )
    return {
        s.code: Suggestion(
            s.code, round(100 * s.score * (0.7 + 0.3 * explained), 1), s.matched, s.source
        )
        for s in found
    }
