"""Read survey exports into the canonical response frame, collecting every problem.

Understands KoboToolbox exports (`;` CSV or XLSX, XML-name or label headers, group prefixes,
select_multiple as a summary column and/or one 0/1 column per choice), ODK Central CSV, a Data
Circle export (header row = canonical column names) and any CSV/XLSX described by a mapping file
(docs/import-mapping.md). Reading is vectorised Polars: values are parsed once per *distinct*
value and problems are found with column expressions, so a million-row export reads in seconds.
A file with any problem yields an empty frame: imports are all or nothing.
"""

from __future__ import annotations

import copy
import csv
import functools
import gettext
import hashlib
import io
import itertools
import operator
import unicodedata
import uuid as uuidlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pycountry
import yaml

from datacircle.core.i18n import gettext_noop
from datacircle.core.questionnaire import Question, Questionnaire, builtin_questionnaire
from datacircle.core.taxonomy import LANGUAGES, Taxonomy, builtin_taxonomy, localised

MAX_PROBLEMS = 1000
CHUNK_ROWS = 100_000  # rows parsed per step: keeps memory flat and gives real progress
COLLECTED_ELSEWHERE = "collected-elsewhere"
MAPPING_KEYS = ("columns", "separators", "values", "consent", "default_share_level", "sheet")
XLSX_SUFFIXES = (".xlsx", ".xlsm")

# Answers to a 0/1 column per choice (Kobo, ODK) or a Boolean column (Data Circle export).
CHOSEN = ("1", "1.0", "true", "True", "TRUE")
NOT_CHOSEN = ("0", "0.0", "false", "False", "FALSE", "")
CONSENT_WORDS = {
    **dict.fromkeys(("yes", "oui", "sí", "si", "نعم", "true", "1"), True),
    **dict.fromkeys(("no", "non", "لا", "false", "0"), False),
}
OTHER_LABELS = {"en": "Other", "fr": "Autre", "es": "Otro", "ar": "أخرى"}
SEED = 20260304  # any fixed seed: summary texts and expected texts hash alike
REJECTED = ("validation_status_not_approved", "not approved", "not_approved", "rejected")
DATETIME_PATTERN = (
    r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2}(?:[.,]\d+)?)?)?"
    r"\s*(Z|z|UTC|[+-]\d{2}:?\d{2})?\s*$"
)


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int | None  # as a person sees it in a spreadsheet: the header row is 1
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ImportResult:
    frame: pl.DataFrame
    problems: list[ImportProblem]
    skipped: dict[str, int]  # reason -> rows; only reasons that happened
    source: str  # "kobo" | "odk" | "mapping" | "datacircle"
    ignored_columns: list[str]  # headers that are neither answers nor known tool metadata
    encoding: str = "utf-8"

    @property
    def ok(self) -> bool:
        return not self.problems


class MappingError(ValueError):
    pass


@dataclass(frozen=True)
class Mapping:
    """How to read a file from another tool: see docs/import-mapping.md."""

    file: str
    columns: dict[str, str] = field(default_factory=dict)  # canonical name -> header
    separators: dict[str, str] = field(default_factory=dict)  # question -> separator
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # question -> text -> code
    consent: str | None = None  # COLLECTED_ELSEWHERE, or the header of the consent column
    default_share_level: int | None = None
    sheet: str | None = None


# --- mapping files ---------------------------------------------------------------------------


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; MappingError names the file, the key and the reason."""
    name = Path(path).name
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise MappingError(
            gettext_noop(
                "%(file)s: cannot read the mapping file (%(reason)s)", file=name, reason=e.strerror
            )
        ) from e
    except UnicodeDecodeError as e:
        raise MappingError(
            gettext_noop("%(file)s: the mapping file is not UTF-8 text", file=name)
        ) from e
    except yaml.YAMLError as e:
        raise MappingError(
            gettext_noop("%(file)s: not valid YAML (%(where)s)", file=name, where=_yaml_where(e))
        ) from e
    if not isinstance(data, dict):
        raise MappingError(
            gettext_noop("%(file)s: expected keys such as columns, values and consent", file=name)
        )
    for key in data:
        if key not in MAPPING_KEYS:
            raise MappingError(
                gettext_noop(
                    "%(file)s, key %(key)s: not a mapping key (expected %(expected)s)",
                    file=name,
                    key=key,
                    expected=", ".join(MAPPING_KEYS),
                )
            )
    columns = _text_table(data.get("columns"), name, "columns")
    consent = data.get("consent")
    if consent is not None and (not isinstance(consent, str) or not consent.strip()):
        raise MappingError(
            gettext_noop(
                "%(file)s, key consent: give %(elsewhere)s or a column header",
                file=name,
                elsewhere=COLLECTED_ELSEWHERE,
            )
        )
    if consent is not None and "consent" in columns:
        raise MappingError(
            gettext_noop("%(file)s, key consent: also given in columns; keep one", file=name)
        )
    values = data.get("values") or {}
    if not isinstance(values, dict):
        raise MappingError(
            gettext_noop("%(file)s, key values: expected a table per question", file=name)
        )
    level = data.get("default_share_level")
    if level is not None and (isinstance(level, bool) or level not in (0, 1, 2, 3, 4)):
        raise MappingError(
            gettext_noop("%(file)s, key default_share_level: expected a level 0 to 4", file=name)
        )
    sheet = data.get("sheet")
    if sheet is not None and not isinstance(sheet, str | int):
        raise MappingError(gettext_noop("%(file)s, key sheet: expected a sheet name", file=name))
    return Mapping(
        file=name,
        columns=columns,
        separators=_text_table(data.get("separators"), name, "separators", strip=False),
        values={
            _yaml_text(q): _text_table(table, name, f"values.{q}") for q, table in values.items()
        },
        consent=consent.strip() if isinstance(consent, str) else None,
        default_share_level=level,
        sheet=None if sheet is None else str(sheet),
    )


def _text_table(raw: object, name: str, key: str, strip: bool = True) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise MappingError(
            gettext_noop(
                "%(file)s, key %(key)s: expected a table of names and texts", file=name, key=key
            )
        )
    table: dict[str, str] = {}
    for k, v in raw.items():
        if v is None or isinstance(v, dict | list):
            raise MappingError(
                gettext_noop(
                    "%(file)s, key %(key)s: expected a text",
                    file=name,
                    key=f"{key}.{_yaml_text(k)}",
                )
            )
        text = _yaml_text(v)
        if not (text.strip() if strip else text):
            raise MappingError(
                gettext_noop(
                    "%(file)s, key %(key)s: is empty", file=name, key=f"{key}.{_yaml_text(k)}"
                )
            )
        table[_yaml_text(k)] = text.strip() if strip else text
    return table


def _yaml_text(value: object) -> str:
    # YAML 1.1 reads unquoted yes/no (and NO, the code of Norway) as Booleans.
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _yaml_where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    # The YAML library's own words stay English; "syntax error" and the line are ours.
    problem = getattr(error, "problem", None) or gettext_noop("syntax error")
    if mark:
        return gettext_noop("line %(line)s: %(problem)s", line=mark.line + 1, problem=problem)
    return problem


# --- reading the file into strings -----------------------------------------------------------


@dataclass
class _Table:
    headers: list[str]
    # Columns c0..cN and _row (the spreadsheet row number). Answer columns are String, except
    # 0/1 and level columns of a CSV whose values all parse as numbers (Int8, or Boolean in a
    # Data Circle export): reading those typed is much cheaper than as text.
    frame: pl.DataFrame
    encoding: str


class _Unreadable(Exception):
    """The file cannot be read at all: one problem for the whole file."""


TypesFor = Callable[[list[str]], dict[int, pl.DataType]]


def _read_table(path: Path, mapping: Mapping | None, types_for: TypesFor) -> _Table:
    if not path.is_file():
        raise _Unreadable(gettext_noop("the file does not exist"))
    if path.suffix.lower() == ".xls":
        raise _Unreadable(
            gettext_noop("old Excel (.xls) files are not supported: save it as .xlsx or .csv")
        )
    if path.suffix.lower() in XLSX_SUFFIXES:
        headers, frame = _read_xlsx(path, mapping.sheet if mapping else None)
        frame, encoding = frame.slice(_hxl_rows(frame)), "utf-8"  # XLSX is XML in UTF-8
    else:
        headers, frame, encoding = _read_csv(path, types_for)
    if frame.height == 0:
        raise _Unreadable(gettext_noop("the file has a header row but no responses"))
    return _Table(headers, _without_blank_lines(frame), encoding)


def _without_blank_lines(frame: pl.DataFrame) -> pl.DataFrame:
    """Blank lines are not responses (and must not count as refused consent). Only rows with
    an empty first cell can be blank, so the wide test runs on those few rows."""
    if frame.width < 2:
        return frame
    maybe = frame.select(pl.int_range(pl.len()).filter(pl.col("c0").is_null())).to_series()
    if maybe.len() == 0:
        return frame
    blank = frame[maybe].filter(pl.all_horizontal(pl.exclude("_row").is_null()))["_row"]
    return frame.filter(~pl.col("_row").is_in(blank.implode())) if blank.len() else frame


def _hxl_rows(frame: pl.DataFrame) -> int:
    """1 when the first data row is a row of HXL hashtags (Kobo's optional second header)."""
    return int(frame.height > 0 and _is_hxl(frame.drop("_row").row(0)))


def _is_hxl(row: Iterable[object]) -> bool:
    cells = [v.strip() for v in row if isinstance(v, str) and v.strip()]
    return bool(cells) and all(v.startswith("#") for v in cells)


class _CsvSource:
    """A CSV file and how to read it: separator sniffed, UTF-8 first, then Windows-1252."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as f:
            self.head = f.read(1 << 20)
        if not self.head.strip(b"\xef\xbb\xbf \r\n\t"):
            raise _Unreadable(gettext_noop("the file is empty"))
        self.path = path
        self.separator = _sniff_separator(self.head)
        self.encoding = "utf-8-sig" if self.head.startswith(b"\xef\xbb\xbf") else "utf-8"
        self.data: Path | io.BytesIO = path

    def first_records(self) -> list[list[str]]:
        """The header row and the row after it, parsed from the head of the file (a Polars
        read of two rows still scans the whole file)."""
        head = self.head
        if len(head) == 1 << 20:  # cut mid-line (maybe mid-character): drop the last line
            head = head[: head.rfind(b"\n") + 1]
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError:
            self._as_cp1252()
            text = head.decode("cp1252")
        return list(itertools.islice(csv.reader(io.StringIO(text), delimiter=self.separator), 2))

    def read(self, **options: object) -> pl.DataFrame:
        for _ in range(2):
            try:
                if isinstance(self.data, io.BytesIO):
                    self.data.seek(0)
                return pl.read_csv(self.data, separator=self.separator, quote_char='"', **options)
            except pl.exceptions.ComputeError as e:
                if self.encoding == "cp1252" or ("utf-8" not in str(e) and "utf8" not in str(e)):
                    raise
                self._as_cp1252()
        raise AssertionError("unreachable")  # pragma: no cover

    def _as_cp1252(self) -> None:
        try:
            text = self.path.read_bytes().decode("cp1252")
        except UnicodeDecodeError as e:
            raise _Unreadable(
                gettext_noop("the file is neither UTF-8 nor Windows-1252 (cp1252) text")
            ) from e
        self.data, self.encoding = io.BytesIO(text.encode("utf-8")), "cp1252"


def _read_csv(path: Path, types_for: TypesFor) -> tuple[list[str], pl.DataFrame, str]:
    source = _CsvSource(path)
    try:
        first = source.first_records()
        headers = [h.strip() for h in first[0]]
        names = [f"c{i}" for i in range(len(headers))]
        hxl = int(len(first) > 1 and _is_hxl(first[1]))
        types = types_for(headers)
        # The row index (header = row 1, as in a spreadsheet) is made by the reader: a column
        # added afterwards would not share the other columns' chunks, and Polars would copy
        # the whole table to align them.
        options = {
            "has_header": True,
            "skip_rows_after_header": hxl,
            "row_index_name": "_row",
            "row_index_offset": 2 + hxl,
        }
        typed = {n: types.get(i, pl.String()) for i, n in enumerate(names)}
        try:
            frame = source.read(schema=typed, **options)
        except pl.exceptions.ComputeError as e:
            if "could not parse" not in str(e):
                raise
            # Some 0/1 or level cell is not a plain number: read all as text, parse slowly.
            frame = source.read(schema=dict.fromkeys(names, pl.String()), **options)
    except pl.exceptions.NoDataError as e:
        raise _Unreadable(gettext_noop("the file is empty")) from e
    except pl.exceptions.ComputeError as e:
        raise _Unreadable(_csv_error(path, source.separator, e)) from e
    return headers, frame, source.encoding


def _sniff_separator(head: bytes) -> str:
    line = head.decode("latin-1").splitlines()[0] if head else ""
    counts = dict.fromkeys((";", ",", "\t"), 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def _csv_error(path: Path, separator: str, error: Exception) -> str:
    """Say where a CSV breaks (Polars does not give the line of a ragged row)."""
    message = str(error).splitlines()[0]
    if "more fields" not in message:
        return gettext_noop("cannot read the file as CSV (%(reason)s)", reason=message)
    text = path.read_bytes().decode("utf-8", errors="replace")
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=separator)
    width = len(next(rows, []))
    for number, row in enumerate(rows, start=2):
        if len(row) > width:
            return gettext_noop(
                "row %(row)s has %(values)s values but the header row has %(columns)s columns",
                row=number,
                values=len(row),
                columns=width,
            )
    return gettext_noop("cannot read the file as CSV (%(reason)s)", reason=message)


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], pl.DataFrame]:
    import openpyxl  # only XLSX needs it; keeps CSV reading light

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken zip or XML
        raise _Unreadable(
            gettext_noop("cannot open the file as an Excel workbook (%(reason)s)", reason=str(e))
        ) from e
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise _Unreadable(
                gettext_noop(
                    "the workbook has no sheet %(sheet)s (sheets: %(sheets)s)",
                    sheet=repr(sheet),
                    sheets=", ".join(book.sheetnames),
                )
            )
        rows = (
            book[sheet].iter_rows(values_only=True)
            if sheet
            else book.worksheets[0].iter_rows(values_only=True)
        )
        header = next(rows, None)
        if header is None:
            raise _Unreadable(gettext_noop("the sheet is empty"))
        headers = [_cell_text(v) or "" for v in header]
        columns: list[list[str | None]] = [[] for _ in headers]
        for values in rows:
            for i in range(len(headers)):
                columns[i].append(_cell_text(values[i]) if i < len(values) else None)
    finally:
        book.close()
    frame = pl.DataFrame(
        {f"c{i}": col for i, col in enumerate(columns)},
        schema=dict.fromkeys((f"c{i}" for i in range(len(headers))), pl.String()),
    ).with_columns(pl.int_range(2, 2 + len(columns[0]) if columns else 2).alias("_row"))
    return [h.strip() for h in headers], frame


def _cell_text(value: object) -> str | None:
    """Spreadsheet cells as the text a CSV export would hold (3, not 3.0)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


# --- what a header means ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Role:
    """What a column holds. kind: uuid, submitted_at, status, consent, text, choice, country,
    multi (a summary of chosen codes), split (one 0/1 choice), level (a skill's level)."""

    kind: str
    target: str = ""
    option: str = ""


# Tool metadata: used as listed, the rest known and quietly left out.
METADATA: dict[str, _Role | None] = {
    "_uuid": _Role("uuid"),
    "meta/instanceid": _Role("uuid"),
    "meta-instanceid": _Role("uuid"),
    "instanceid": _Role("uuid"),
    "key": _Role("uuid"),
    "_submission_time": _Role("submitted_at"),
    "submissiondate": _Role("submitted_at"),
    "_validation_status": _Role("status"),
    "reviewstate": _Role("status"),
    **dict.fromkeys(
        (
            "_id", "_submitted_by", "_index", "_status", "_notes", "_tags", "__version__",
            "_version_", "_xform_id_string", "_attachments", "_geolocation", "_duration",
            "_parent_index", "_parent_table_name", "formhub/uuid", "meta/rootuuid",
            "meta/deprecatedid", "start", "end", "today", "deviceid", "username", "submitterid",
            "submittername", "attachmentspresent", "attachmentsexpected", "status", "edits",
            "formversion", "meta-rootuuid", "meta-deprecatedid",
        ),
        None,
    ),
}  # fmt: skip
ANSWER_KINDS = ("consent", "text", "choice", "country", "multi", "split", "level")


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _question_role(q: Question) -> _Role:
    kind = {
        "consent": "consent",
        "text": "text",
        "select_one": "choice",
        "country": "country",
        "select_multiple": "multi",
        "skills": "multi",
    }[q.type]
    return _Role(kind, q.name)


def _choices(qn: Questionnaire, q: Question, tax: Taxonomy) -> list[tuple[str, dict[str, str]]]:
    """(code, labels) of every answer a select question accepts, "other" included for skills."""
    found = [(c.code, dict(c.label)) for c in qn.choices(q, tax)]
    if q.type == "skills" and "other" not in {code for code, _ in found}:
        found.append(("other", OTHER_LABELS))
    return found


def _level_label(q: Question, skill_label: dict[str, str], language: str) -> str:
    template = localised(q.level_label, language) if q.level_label else ""
    return template.replace("${skill}", localised(skill_label, language)) if template else ""


def _known_headers(qn: Questionnaire, tax: Taxonomy) -> dict[str, _Role]:
    """Every header a column of this questionnaire may have: XML names, labels in each
    language and canonical names, normalised."""
    names: dict[str, _Role] = {}

    def add(name: str, role: _Role) -> None:
        if name.strip():
            names.setdefault(_norm(name), role)

    add("uuid", _Role("uuid"))
    add("submitted_at", _Role("submitted_at"))
    add("organisation", _Role("text", "organisation"))
    for q in qn.questions:
        for label in (q.name, *(localised(q.label, lang) for lang in LANGUAGES)):
            add(label, _question_role(q))
        if q.other:
            add(q.other, _Role("text", q.other))
        if q.type in ("select_multiple", "skills"):
            for code, label in _choices(qn, q, tax):
                split = _Role("split", q.name, code)
                add(f"{q.name}/{code}", split)
                add(f"{q.name}.{code}", split)
                for lang in LANGUAGES:
                    add(f"{localised(q.label, lang)}/{localised(label, lang)}", split)
        if q.type == "skills":
            for skill in tax.skills:
                level = _Role("level", q.name, skill.code)
                add(f"{q.level_column_prefix}_{skill.code}", level)
                add(f"{q.level_column_prefix}.{skill.code}", level)
                for lang in LANGUAGES:
                    add(_level_label(q, dict(skill.label), lang), level)
    return names


def _match_header(header: str, names: dict[str, _Role]) -> _Role | None:
    """The role of the longest known name the header equals or ends with after a `/` or `-`
    (group prefixes: Kobo `part2/learn`, ODK `part2-learn`; names themselves hold hyphens)."""
    text = _norm(header)
    if text in names:
        return names[text]
    for i, ch in enumerate(text):
        if ch in "/-" and text[i + 1 :] in names:
            return names[text[i + 1 :]]
    return None


def _canonical_role(key: str, qn: Questionnaire, tax: Taxonomy) -> _Role | None:
    """The role of a canonical column name used as a key of a mapping's `columns`."""
    if key == "organisation":
        return _Role("text", "organisation")
    if key in ("uuid", "submitted_at"):
        return _Role(key)
    by_name = {q.name: q for q in qn.questions}
    if key in by_name:
        return _question_role(by_name[key])
    if key in {q.other for q in qn.questions if q.other}:
        return _Role("text", key)
    question, _, option = key.partition(".")
    if question.endswith("_level"):
        skill_q = by_name.get(question.removesuffix("_level"))
        if skill_q is not None and skill_q.type == "skills" and option in tax.codes:
            return _Role("level", skill_q.name, option)
        return None
    q = by_name.get(question)
    if q is not None and option in {code for code, _ in _choices(qn, q, tax)}:
        return _Role("split", q.name, option)
    return None


# --- problems --------------------------------------------------------------------------------


class _ProblemLog:
    def __init__(self, file: str, headers: list[str]) -> None:
        self.file = file
        self.headers = headers
        self.found: list[ImportProblem] = []
        self.unlisted = 0  # found but not kept: a broken million-row file has millions

    def add(self, message: str, row: int | None = None, column: int | str | None = None) -> None:
        name = self.headers[column] if isinstance(column, int) else column
        self.found.append(ImportProblem(self.file, row, name, message))

    def add_rows(
        self, column: int | None, rows: pl.DataFrame, total: int, message: Callable[..., str]
    ) -> None:
        """Rows is (_row, value[, detail]) for the first offending rows of one check."""
        for row, *shown in rows.iter_rows():
            self.add(message(*shown), row, column)
        self.unlisted += total - rows.height

    def problems(self) -> list[ImportProblem]:
        """File-wide problems first, then by row and column; at most MAX_PROBLEMS."""
        order = {h: i for i, h in reversed(list(enumerate(self.headers)))}
        ranked = sorted(
            self.found, key=lambda p: (p.row or 0, order.get(p.column or "", -1), p.message)
        )
        total = len(ranked) + self.unlisted
        if total <= MAX_PROBLEMS:
            return ranked
        kept = ranked[: MAX_PROBLEMS - 1]
        more = ImportProblem(
            self.file,
            None,
            None,
            gettext_noop("... and %(count)s more problems", count=total - len(kept)),
        )
        return [*kept, more]


def _quote_list(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


# --- answer vocabularies ---------------------------------------------------------------------

Parse = Callable[[str], tuple[object, str | None]]  # raw text -> (value, problem message)


@functools.cache
def _country_names() -> dict[str, str]:
    """Alpha-2, alpha-3 and English/French/Spanish/Arabic names -> alpha-2 code."""
    names: dict[str, str] = {}
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("fr", "es", "ar")
    }
    for country in pycountry.countries:
        texts = [country.alpha_2, country.alpha_3]
        for attr in ("name", "common_name", "official_name"):
            english = getattr(country, attr, None)
            if english:
                texts.append(english)
                texts.extend(t.gettext(english) for t in translations.values())
        for text in texts:
            for key in (_norm(text), _unaccented(_norm(text))):
                names.setdefault(key, country.alpha_2)
    return names


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class _Answers:
    """How each question's raw answers become codes, with the mapping's own words first."""

    def __init__(self, qn: Questionnaire, tax: Taxonomy, mapping: Mapping | None) -> None:
        self.qn = qn
        self.tax = tax
        self.mapping = mapping
        self.extra: dict[str, dict[str, str]] = {}
        if mapping:
            for key, table in mapping.values.items():
                for target in ("learn", "share") if key == "skills" else (key,):
                    self.extra.setdefault(target, {}).update(
                        {_norm(k): v for k, v in table.items()}
                    )

    def vocabulary(self, q: Question) -> tuple[dict[str, str], list[str]]:
        """Normalised words -> code, and the codes in order (for messages)."""
        if q.type == "consent":
            return {k: ("yes" if v else "no") for k, v in CONSENT_WORDS.items()}, ["yes", "no"]
        words: dict[str, str] = {}
        codes = []
        for code, label in _choices(self.qn, q, self.tax):
            codes.append(code)
            words.setdefault(_norm(code), code)
            for text in label.values():
                words.setdefault(_norm(text), code)
        return words, codes

    def parser(self, role: _Role, separator: str | None = None) -> Parse:
        if role.kind == "level":
            return self._level_parser(self.qn.question(role.target))
        if role.kind == "country":
            return self._country_parser()
        q = self.qn.question(role.target)
        words, codes = self.vocabulary(q)
        words = {**words, **self.extra.get(q.name, {})}
        if role.kind == "consent":
            return _cached(lambda v: _parse_consent(v, words))
        if role.kind == "multi":
            return _cached(lambda v: _parse_summary(v, words, codes, q.name, separator))
        return _cached(lambda v: _parse_choice(v, words, codes, q.name))

    def _level_parser(self, q: Question) -> Parse:
        words = {str(lv.value): lv.value for lv in self.tax.levels}
        for lv in self.tax.levels:
            for text in lv.label.values():
                words.setdefault(_norm(text), lv.value)
        for key in (f"{q.name}_level", "levels"):
            words.update(
                {k: int(v) for k, v in self.extra.get(key, {}).items() if v.strip().isdigit()}
            )
        expected = ", ".join(str(v) for v in q.levels)

        def parse(value: str) -> tuple[object, str | None]:
            text = _norm(value)
            if not text:
                return None, None
            level = words.get(text)
            if level is None or level not in q.levels:
                return None, gettext_noop(
                    "'%(value)s' is not a level (expected %(expected)s)",
                    value=value,
                    expected=expected,
                )
            return level, None

        return _cached(parse)

    def _country_parser(self) -> Parse:
        extra = self.extra.get("country", {})
        names = _country_names()

        def parse(value: str) -> tuple[object, str | None]:
            text = _norm(value)
            if not text:
                return None, None
            code = names.get(_norm(extra.get(text, text))) or names.get(_unaccented(text))
            if code is None:
                return None, gettext_noop(
                    "'%(value)s' is not a country (expected an ISO code such as KE or KEN, "
                    "or the country's name)",
                    value=value,
                )
            return code, None

        return _cached(parse)


def _cached(parse: Parse) -> Parse:
    """Each distinct raw value is parsed once per file, however many chunks it appears in."""
    seen: dict[str, tuple[object, str | None]] = {}

    def lookup(value: str) -> tuple[object, str | None]:
        if value not in seen:
            seen[value] = parse(value)
        return seen[value]

    return lookup


def _parse_consent(value: str, words: dict[str, str]) -> tuple[object, str | None]:
    text = _norm(value)
    if not text:
        return None, None
    answer = words.get(text)
    if answer not in ("yes", "no"):
        return None, gettext_noop(
            "'%(value)s' is not a consent answer (expected yes or no)", value=value
        )
    return answer == "yes", None


def _parse_choice(
    value: str, words: dict[str, str], codes: list[str], question: str
) -> tuple[object, str | None]:
    text = _norm(value)
    if not text:
        return None, None
    code = words.get(text)
    if code not in codes:
        return None, gettext_noop(
            "'%(value)s' is not a choice of %(question)s (expected %(codes)s)",
            value=value,
            question=question,
            codes=", ".join(codes),
        )
    return code, None


def _parse_summary(
    value: str, words: dict[str, str], codes: list[str], question: str, separator: str | None
) -> tuple[object, str | None]:
    """A cell of chosen answers -> " code code " (spaces around each, for fast lookups)."""
    text = value.strip()
    if not text:
        return None, None
    whole = words.get(_norm(text))  # one label holding spaces, e.g. "Maps and GIS"
    parts = [whole] if whole in codes else (text.split(separator) if separator else text.split())
    found, unknown = [], []
    for part in parts:
        code = part if part in codes else words.get(_norm(part))
        if code in codes:
            found.append(code)
        elif part.strip():
            unknown.append(part.strip())
    if unknown:
        what = "is not a choice" if len(unknown) == 1 else "are not choices"
        return None, f"{_quote_list(unknown)} {what} of {question} (expected {', '.join(codes)})"
    return (f" {' '.join(found)} " if found else None), None


# --- the plan: which column feeds which canonical column -------------------------------------


@dataclass
class _Plan:
    roles: dict[int, _Role]
    separators: dict[str, str]
    consent_elsewhere: bool
    default_share_level: int | None

    def columns(self, kind: str, target: str | None = None) -> list[int]:
        return [
            i
            for i, r in self.roles.items()
            if r.kind == kind and (target is None or r.target == target)
        ]

    def first(self, kind: str, target: str | None = None) -> int | None:
        found = self.columns(kind, target)
        return found[0] if found else None

    def options(self, kind: str, target: str) -> dict[str, int]:
        return {self.roles[i].option: i for i in self.columns(kind, target)}

    def has_answers(self) -> bool:
        return any(r.kind in ANSWER_KINDS and r.kind != "consent" for r in self.roles.values())


def _plan(
    headers: list[str],
    qn: Questionnaire,
    tax: Taxonomy,
    mapping: Mapping | None,
    log: _ProblemLog,
) -> tuple[_Plan, list[str]]:
    roles: dict[int, _Role] = {}
    claimed = _mapped_columns(headers, qn, tax, mapping, log)
    roles.update(claimed)
    taken = set(claimed.values())
    names = _known_headers(qn, tax)
    ignored: list[str] = []
    for i, header in enumerate(headers):
        if i in roles:
            continue
        if _norm(header) in METADATA:
            role = METADATA[_norm(header)]
            if role is not None and role not in taken:  # the mapping's own id/date win
                roles[i] = role
            continue
        role = _match_header(header, names)
        if role is None or role in taken:
            ignored.append(header)
        else:
            roles[i] = role
    _check_duplicate_roles(roles, headers, log)
    plan = _Plan(
        roles=roles,
        separators=dict(mapping.separators) if mapping else {},
        consent_elsewhere=bool(mapping and mapping.consent == COLLECTED_ELSEWHERE),
        default_share_level=mapping.default_share_level if mapping else None,
    )
    return plan, ignored


def _mapped_columns(
    headers: list[str],
    qn: Questionnaire,
    tax: Taxonomy,
    mapping: Mapping | None,
    log: _ProblemLog,
) -> dict[int, _Role]:
    """Columns the mapping names; a name or header that does not exist is a problem."""
    if mapping is None:
        return {}
    wanted = dict(mapping.columns)
    if mapping.consent and mapping.consent != COLLECTED_ELSEWHERE:
        wanted["consent"] = mapping.consent
    index = {}
    for i, header in enumerate(headers):
        index.setdefault(_norm(header), i)
    claimed: dict[int, _Role] = {}
    for key, header in wanted.items():
        role = _canonical_role(key, qn, tax)
        where = "consent" if key == "consent" and key not in mapping.columns else f"columns.{key}"
        if role is None:
            log.add(
                gettext_noop(
                    "mapping %(file)s, key %(key)s: %(name)s is not a canonical column",
                    file=mapping.file,
                    key=where,
                    name=repr(key),
                )
            )
        elif _norm(header) not in index:
            log.add(
                gettext_noop(
                    "mapping %(file)s, key %(key)s: the file has no column %(column)s",
                    file=mapping.file,
                    key=where,
                    column=repr(header),
                )
            )
        else:
            claimed[index[_norm(header)]] = role
    _check_mapping_values(mapping, qn, tax, log)
    for key in mapping.separators:
        if key not in {q.name for q in qn.questions if q.type in ("select_multiple", "skills")}:
            log.add(
                gettext_noop(
                    "mapping %(file)s, key %(key)s: not a multiple-choice question",
                    file=mapping.file,
                    key=f"separators.{key}",
                )
            )
    return claimed


def _check_mapping_values(
    mapping: Mapping, qn: Questionnaire, tax: Taxonomy, log: _ProblemLog
) -> None:
    answers = _Answers(qn, tax, None)
    by_name = {q.name: q for q in qn.questions}
    for key, table in mapping.values.items():
        where = {"file": mapping.file, "key": f"values.{key}"}
        if key in ("learn_level", "share_level", "levels"):
            bad = [v for v in table.values() if v.strip() not in {"0", "1", "2", "3", "4"}]
            allowed = "0, 1, 2, 3, 4"
        elif key == "country":
            bad = [v for v in table.values() if _norm(v) not in _country_names()]
            allowed = gettext_noop("ISO country codes")
        elif key == "skills" or (key in by_name and by_name[key].type != "text"):
            q = by_name["learn" if key == "skills" else key]
            codes = answers.vocabulary(q)[1]
            bad = [v for v in table.values() if v not in codes]
            allowed = ", ".join(codes)
        else:
            log.add(
                gettext_noop(
                    "mapping %(file)s, key %(key)s: %(name)s is not a question with choices",
                    name=repr(key),
                    **where,
                )
            )
            continue
        for value in bad:
            log.add(
                gettext_noop(
                    "mapping %(file)s, key %(key)s: %(value)s is not a code (expected %(expected)s)",
                    value=repr(value),
                    expected=allowed,
                    **where,
                )
            )


def _check_duplicate_roles(roles: dict[int, _Role], headers: list[str], log: _ProblemLog) -> None:
    seen: dict[_Role, int] = {}
    for i, role in sorted(roles.items()):
        if role.kind not in ANSWER_KINDS:
            continue
        if role in seen:
            log.add(
                gettext_noop(
                    "columns '%(first)s' and '%(second)s' both hold the same answer "
                    "(%(answer)s); keep one",
                    first=headers[seen[role]],
                    second=headers[i],
                    answer=f"{role.target}{'/' + role.option if role.option else ''}",
                ),
                column=i,
            )
        else:
            seen[role] = i


# --- parsing ---------------------------------------------------------------------------------


def _col(i: int) -> pl.Expr:
    return pl.col(f"c{i}")


def _text(expr: pl.Expr) -> pl.Expr:
    stripped = expr.str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def _datetime(expr: pl.Expr) -> pl.Expr:
    """ISO 8601 with or without offset (none means UTC), Kobo and ODK styles, -> UTC."""
    parts = expr.str.extract_groups(DATETIME_PATTERN)
    offset = (
        parts.struct.field("4")
        .replace({"Z": "+00:00", "z": "+00:00", "UTC": "+00:00"})
        .fill_null("+00:00")
        .str.replace(r"^([+-]\d{2})(\d{2})$", "$1:$2")
    )
    seconds = parts.struct.field("3").fill_null(":00").str.replace(",", ".", literal=True)
    text = pl.concat_str(
        [
            parts.struct.field("1"),
            pl.lit("T"),
            parts.struct.field("2").fill_null("00:00"),
            seconds,
            offset,
        ]
    )
    return text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", strict=False, time_zone="UTC")


def _datetime_format(sample: str | None) -> tuple[str, bool] | None:
    """One strptime for a column whose dates all look like `sample` (the usual case): far
    cheaper than the general pattern, which is kept for the rows this one cannot read."""
    if not sample or len(sample) < 19 or sample[10] != "T":
        return None
    tail = sample[19:].lstrip(".0123456789")
    if tail == "":
        fmt, zone = "%Y-%m-%dT%H:%M:%S%.f", False
    elif tail == "Z":
        fmt, zone = "%Y-%m-%dT%H:%M:%S%.fZ", False
    elif len(tail) == 6 and tail[3] == ":":
        fmt, zone = "%Y-%m-%dT%H:%M:%S%.f%:z", True
    else:
        return None
    return fmt, zone


def _strptime(expr: pl.Expr, fmt: str, zoned: bool) -> pl.Expr:
    if zoned:
        return expr.str.to_datetime(fmt, strict=False, time_zone="UTC", time_unit="us")
    parsed = expr.str.to_datetime(fmt, strict=False, time_unit="us")
    return parsed.dt.replace_time_zone("UTC")


@dataclass
class _Check:
    """One kind of problem: rows where `mask` holds, described from the column's raw text."""

    column: int | None
    mask: pl.Expr
    message: Callable[..., str]  # (raw text) or, with a detail, (raw text, detail)
    detail: pl.Expr | None = None


@dataclass
class _Profile:
    """What one cheap pass over a chunk tells about its text columns, to pick fast
    expressions."""

    distinct: dict[int, list[str]]  # categorical column -> its distinct values
    plain: set[int]  # 0/1 text columns holding only "1", "0" or empty
    dates_simple: bool  # every date reads with the one strptime format
    ranges: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)  # Int8


class _ChunkReader:
    """Turns chunks of the file into canonical chunks, logging every problem."""

    def __init__(
        self,
        plan: _Plan,
        answers: _Answers,
        schema: dict[str, pl.DataType],
        types: dict[int, pl.DataType],
        log: _ProblemLog,
    ) -> None:
        self.plan = plan
        self.answers = answers
        self.schema = schema
        self.types = types
        self.log = log
        self.multi = [q for q in answers.qn.questions if q.type in ("select_multiple", "skills")]
        self.codes = {
            q.name: [code for code, _ in _choices(answers.qn, q, answers.tax)] for q in self.multi
        }
        # A summary column whose every choice also has a 0/1 column is only checked against
        # them (cheaply, as bitmasks), not parsed.
        self.checked_summaries = {
            q.name: i
            for q in self.multi
            if (i := plan.first("multi", q.name)) is not None
            and {c for c in self.codes[q.name] if f"{q.name}.{c}" in schema}
            <= set(plan.options("split", q.name))
            and len(plan.options("split", q.name)) < 63  # one bit each in an Int64
        }
        # A summary with no 0/1 columns becomes a bitmask of its codes (choice order).
        self.masked_summaries = {
            q.name: i
            for q in self.multi
            if (i := plan.first("multi", q.name)) is not None
            and not plan.options("split", q.name)
            and len(self.codes[q.name]) < 63
        }
        self.summary_parsers: dict[int, Parse] = {}
        self.parsers: dict[int, Parse] = {}
        for i, role in plan.roles.items():
            text = types.get(i) == pl.String()
            categorical = role.kind in ("choice", "country", "multi", "level")
            parser = answers.parser(role, plan.separators.get(role.target)) if categorical else None
            if i in self.masked_summaries.values():
                self.summary_parsers[i] = parser
            elif parser is not None and text and i not in self.checked_summaries.values():
                self.parsers[i] = parser
        self.date_format: tuple[str, bool] | None = None
        self.profile = _Profile({}, set(), False)

    def settle_date_format(self, raw: pl.DataFrame) -> None:
        """Pick the fast date format from the first date in the file (before any chunk)."""
        date = self.plan.first("submitted_at")
        if date is not None:
            sample = raw.get_column(f"c{date}").drop_nulls().head(1).to_list()
            self.date_format = _datetime_format(sample[0].strip() if sample else None)

    def fork(self) -> _ChunkReader:
        """A reader for one chunk on its own thread: shared parsers, its own problem log."""
        twin = copy.copy(self)
        twin.log = _ProblemLog(self.log.file, self.log.headers)
        return twin

    def read(self, raw: pl.DataFrame) -> pl.DataFrame:
        checks: list[_Check] = []
        self.profile = self._profile(raw)
        work = raw.with_columns(**self._categorical(checks))
        work = work.with_columns(**self._summary_masks(work, checks))
        columns = self._columns(checks)
        work = work.with_columns(**columns)
        self._log_checks(work, checks)
        self._check_summaries(work)
        return work.select("_row", *columns)

    def _chosen(self, i: int) -> pl.Expr:
        """A 0/1 column as Booleans, by the cheapest test its values allow. A mark that is
        neither 1 nor 0 is reported once by its own check and counts as chosen, so it does
        not also surface as a summary or level problem."""
        dtype = self.types[i]
        if dtype == pl.Boolean():
            return _col(i).fill_null(False)
        if dtype == pl.Int8():
            return (_col(i) != 0).fill_null(False)
        if i in self.profile.plain:
            return (_col(i) == "1").fill_null(False)
        return (~_col(i).is_in(NOT_CHOSEN)).fill_null(False)

    def _profile(self, raw: pl.DataFrame) -> _Profile:
        stats: list[pl.Expr] = [
            _col(i).drop_nulls().unique().implode().alias(f"u{i}") for i in self.parsers
        ]
        text_splits = [i for i in self.plan.columns("split") if self.types[i] == pl.String()]
        stats += [
            ((_col(i) == "1") | (_col(i) == "0") | (_col(i) == ""))
            .fill_null(True)
            .all()
            .alias(f"s{i}")
            for i in text_splits
        ]
        numbers = [i for i in self.plan.roles if self.types.get(i) == pl.Int8()]
        stats += [_col(i).min().alias(f"lo{i}") for i in numbers]
        stats += [_col(i).max().alias(f"hi{i}") for i in numbers]
        date = self.plan.first("submitted_at")
        if date is not None and self.date_format is not None:
            fast = _strptime(_col(date), *self.date_format)
            readable = ~(fast.is_null() & (_col(date) != ""))
            stats.append(readable.fill_null(True).all().alias("d"))
        if not stats:
            return _Profile({}, set(), False)
        row = raw.select(stats).row(0, named=True)
        return _Profile(
            {i: row[f"u{i}"] for i in self.parsers},
            {i for i in text_splits if row[f"s{i}"]},
            bool(row.get("d")),
            {i: (row[f"lo{i}"], row[f"hi{i}"]) for i in numbers},
        )

    def _within(self, i: int, allowed: Iterable[int]) -> bool:
        """True when every number in an Int8 column is allowed (checked from min and max)."""
        low, high = self.profile.ranges.get(i, (None, None))
        allowed = set(allowed)
        if low is None:
            return True
        return set(range(low, high + 1)) <= allowed

    def _categorical(self, checks: list[_Check]) -> dict[str, pl.Expr]:
        """Parse each distinct value once in Python, then map whole columns in Polars."""
        out: dict[str, pl.Expr] = {}
        for i, parse in self.parsers.items():
            values = self.profile.distinct[i]
            results = [parse(v) for v in values]
            errors = {v: r[1] for v, r in zip(values, results, strict=True) if r[1]}
            if errors:
                checks.append(_Check(i, _col(i).is_in(list(errors)), errors.__getitem__))
            role = self.plan.roles[i]
            out[f"p{i}"] = _mapped(i, role, values, [r[0] for r in results], bool(errors))
        return out

    def _summary_masks(self, work: pl.DataFrame, checks: list[_Check]) -> dict[str, pl.Expr]:
        """Summary columns as bitmasks of their codes. Each distinct text is resolved once:
        tokens that are exact codes map to bits in Polars, and only texts with other tokens
        (labels, separators, odd spacing) are parsed in Python."""
        if not self.masked_summaries:
            return {}
        distinct = work.select(
            [_col(i).drop_nulls().unique().implode() for i in self.masked_summaries.values()]
        ).row(0)
        out: dict[str, pl.Expr] = {}
        for (question, i), values in zip(self.masked_summaries.items(), distinct, strict=True):
            masks, errors = self._resolve_summaries(question, i, values)
            if errors:
                checks.append(_Check(i, _col(i).is_in(list(errors)), errors.__getitem__))
            out[f"p{i}"] = (
                _col(i).replace_strict(values, masks, default=None, return_dtype=pl.Int64())
                if values
                else pl.lit(None, pl.Int64())
            )
        return out

    def _resolve_summaries(
        self, question: str, i: int, values: list[str]
    ) -> tuple[list[int | None], dict[str, str]]:
        bits = {code: 1 << n for n, code in enumerate(self.codes[question])}
        unknown = -(1 << 62)
        tokens = (
            pl.col("v")
            .str.split(" ")
            .list.eval(
                pl.element().replace_strict(
                    list(bits), list(bits.values()), default=unknown, return_dtype=pl.Int64()
                )
            )
        )
        mask = tokens.list.sum()
        exact = (mask >= 0) & (mask.bitwise_count_ones() == tokens.list.len())
        fast = (
            pl.DataFrame({"v": values}, schema={"v": pl.String()})
            .select(pl.when(pl.col("v") == "").then(0).when(exact).then(mask))
            .to_series()
            .to_list()
        )
        errors: dict[str, str] = {}
        for n, (value, resolved) in enumerate(zip(values, fast, strict=True)):
            if resolved is None:
                fast[n], problem = self._summary_bits(question, i, value)
                if problem:
                    errors[value] = problem
        return fast, errors

    def _summary_bits(self, question: str, i: int, value: str) -> tuple[int | None, str | None]:
        parsed, problem = self.summary_parsers[i](value)
        if problem:
            return None, problem
        codes = self.codes[question]
        return sum(1 << codes.index(c) for c in set(str(parsed or "").split())), None

    def _columns(self, checks: list[_Check]) -> dict[str, pl.Expr]:
        plan = self.plan
        columns: dict[str, pl.Expr] = {
            "uuid": self._uuid(),
            "submitted_at": self._submitted_at(checks),
            "consent": pl.lit(True),
        }
        for name, dtype in self.schema.items():
            if name in columns or "." in name:
                continue
            kinds = ("country",) if name == "country" else ("text", "choice")
            source = next((i for k in kinds if (i := plan.first(k, name)) is not None), None)
            if source is None:
                columns[name] = pl.lit(None, dtype)
            elif plan.roles[source].kind == "text":
                columns[name] = _text(_col(source))
            else:
                columns[name] = pl.col(f"p{source}")
        for q in self.multi:
            columns.update(self._selections(q, checks))
        return columns

    def _uuid(self) -> pl.Expr:
        sources = self.plan.columns("uuid")
        if not sources:
            return pl.lit(None, pl.String())
        return pl.coalesce([_text(_col(i).str.strip_prefix("uuid:")) for i in sources])

    def _submitted_at(self, checks: list[_Check]) -> pl.Expr:
        source = self.plan.first("submitted_at")
        if source is None:
            return pl.lit(None, pl.Datetime("us", "UTC"))
        if self.profile.dates_simple and self.date_format is not None:
            return _strptime(_col(source), *self.date_format)
        parsed = _datetime(_col(source))
        checks.append(
            _Check(
                source,
                _text(_col(source)).is_not_null() & parsed.is_null(),
                lambda v: gettext_noop(
                    "'%(value)s' is not a date and time "
                    "(expected ISO 8601, e.g. 2026-03-04T10:11:12Z or 2026-03-04T13:11:12+03:00)",
                    value=v,
                ),
            )
        )
        return parsed

    def _selections(self, q: Question, checks: list[_Check]) -> dict[str, pl.Expr]:
        """Boolean per choice (and level per skill): 0/1 columns first, else the summary."""
        plan = self.plan
        splits = plan.options("split", q.name)
        summary = plan.first("multi", q.name)
        levels = plan.options("level", q.name)
        for code, i in splits.items():
            check = self._split_check(code, i)
            if check is not None:
                checks.append(check)
        parsed_summary = summary if summary in self.parsers else None
        if parsed_summary is not None and splits:
            checks.append(self._disagreement(parsed_summary, splits))
        out: dict[str, pl.Expr] = {}
        for code in self.codes[q.name]:
            if code in splits:
                chosen = self._chosen(splits[code])
            elif summary in self.summary_parsers:
                bit = 1 << self.codes[q.name].index(code)
                chosen = ((pl.col(f"p{summary}") & bit) != 0).fill_null(False)
            elif parsed_summary is not None:
                chosen = _in_summary(parsed_summary, code)
            elif not splits and summary is None and code in levels:
                # Only level columns (a mapped file): a level means the skill was chosen.
                chosen = self._level(q, levels[code]).is_not_null()
            else:
                chosen = pl.lit(False)
            out[f"{q.name}.{code}"] = chosen
        if q.type == "skills":
            has_choices = bool(splits) or summary is not None
            out.update(self._levels(q, levels, out, checks, has_choices))
        return {k: v for k, v in out.items() if k in self.schema}

    def _split_check(self, code: str, i: int) -> _Check | None:
        dtype = self.types[i]
        if dtype == pl.Boolean() or i in self.profile.plain:
            return None
        if dtype == pl.Int8():
            if self._within(i, (0, 1)):
                return None
            valid = _col(i).is_in([0, 1]).fill_null(True)
        else:
            valid = _col(i).is_in([*CHOSEN, *NOT_CHOSEN]).fill_null(True)
        return _Check(i, ~valid, _not_01(code))

    def _level(self, q: Question, i: int) -> pl.Expr:
        return _col(i) if self.types[i] == pl.Int8() else pl.col(f"p{i}")

    def _levels(
        self,
        q: Question,
        levels: dict[str, int],
        chosen: dict[str, pl.Expr],
        checks: list[_Check],
        has_choices: bool,
    ) -> dict[str, pl.Expr]:
        default = self.plan.default_share_level if q.name == "share" else None
        expected = ", ".join(str(v) for v in q.levels)
        out: dict[str, pl.Expr] = {}
        for code in self.answers.tax.codes:
            i = levels.get(code)
            level = self._level(q, i) if i is not None else pl.lit(None, pl.Int8())
            if i is not None and self.types[i] == pl.Int8() and not self._within(i, q.levels):
                checks.append(
                    _Check(
                        i,
                        ~level.is_in(list(q.levels)).fill_null(True),
                        lambda v, expected=expected: gettext_noop(
                            "'%(value)s' is not a level (expected %(expected)s)",
                            value=v,
                            expected=expected,
                        ),
                    )
                )
            if i is not None and has_choices:
                # Checks run after the canonical columns exist, so they read the choice by name.
                checks.append(
                    _Check(
                        i,
                        level.is_in(list(q.levels)) & ~pl.col(f"{q.name}.{code}"),
                        lambda v, code=code: gettext_noop(
                            "level '%(value)s' is given for %(code)s, but %(code)s is not chosen "
                            "in %(question)s",
                            value=v,
                            code=code,
                            question=q.name,
                        ),
                    )
                )
            if default is not None:
                fill = chosen[f"{q.name}.{code}"] & level.is_null()
                level = pl.when(fill).then(pl.lit(default, pl.Int8())).otherwise(level)
            out[f"{q.level_column_prefix}.{code}"] = level
        return out

    def _disagreement(self, summary: int, splits: dict[str, int]) -> _Check:
        """Summary and 0/1 columns must say the same (when some choices lack a 0/1 column)."""
        differs = pl.any_horizontal(
            [self._chosen(i) != _in_summary(summary, code) for code, i in splits.items()]
        )
        split_codes = pl.concat_str(
            [pl.when(self._chosen(i)).then(pl.lit(code)) for code, i in splits.items()],
            separator=" ",
            ignore_nulls=True,
        )
        return _Check(
            summary,
            pl.col(f"p{summary}").is_not_null() & differs,
            _disagrees,
            detail=split_codes,
        )

    def _check_summaries(self, work: pl.DataFrame) -> None:
        """Each summary must name exactly the choices its 0/1 columns mark. The 0/1 columns
        become a bitmask per row; the text Kobo would write for each distinct bitmask (codes
        in choice order) is built once, and its hash compared with the summary's. Rows that
        differ (labels, odd spacing, or a real disagreement) are parsed one by one."""
        if not self.checked_summaries:
            return
        questions = list(self.checked_summaries)
        cells = work.select(
            "_row",
            *[_col(self.checked_summaries[q]).alias(f"s{n}") for n, q in enumerate(questions)],
            *[self._split_mask(q).alias(f"m{n}") for n, q in enumerate(questions)],
        )
        expected = [self._expected_summary(q, cells[f"m{n}"]) for n, q in enumerate(questions)]
        differs = cells.select(
            [
                (pl.col(f"s{n}").fill_null("").hash(SEED) != text).alias(f"d{n}")
                for n, text in enumerate(expected)
            ]
        )
        for n, count in enumerate(differs.sum().row(0)):
            if count:
                rows = cells.select("_row", f"s{n}", f"m{n}").filter(differs[f"d{n}"])
                self._compare_summary(questions[n], self.checked_summaries[questions[n]], rows)

    def _expected_summary(self, question: str, masks: pl.Series) -> pl.Expr:
        distinct = masks.unique().to_frame("mask")
        texts = distinct.select(
            pl.concat_str(
                [
                    pl.when((pl.col("mask") & bit) != 0).then(pl.lit(code))
                    for code, bit in self._bits(question).items()
                ],
                separator=" ",
                ignore_nulls=True,
            )
        ).to_series()
        return pl.col(masks.name).replace_strict(
            distinct["mask"], texts.hash(SEED), return_dtype=pl.UInt64()
        )

    def _bits(self, question: str) -> dict[str, int]:
        return {code: 1 << n for n, code in enumerate(self.plan.options("split", question))}

    def _split_mask(self, question: str) -> pl.Expr:
        splits = self.plan.options("split", question)
        terms = [
            self._chosen(splits[code]).cast(pl.Int64()) * bit
            for code, bit in self._bits(question).items()
        ]
        return functools.reduce(operator.add, terms)

    def _compare_summary(self, question: str, summary: int, rows: pl.DataFrame) -> None:
        parse = self.answers.parser(self.plan.roles[summary], self.plan.separators.get(question))
        bits = self._bits(question)
        bad = []
        for row, raw, mask in rows.iter_rows():
            parsed, problem = parse(raw or "")
            marked = sum(bits.get(code, 0) for code in set(str(parsed or "").split()))
            if problem or marked != mask:
                chosen = " ".join(code for code, bit in bits.items() if mask & bit)
                bad.append((row, problem or _disagrees(raw, chosen)))
        for row, message in bad[:MAX_PROBLEMS]:
            self.log.add(message, row, summary)
        self.log.unlisted += max(0, len(bad) - MAX_PROBLEMS)

    def _log_checks(self, work: pl.DataFrame, checks: list[_Check]) -> None:
        if not checks:
            return
        counts = work.select(
            [c.mask.fill_null(False).sum().alias(str(n)) for n, c in enumerate(checks)]
        ).row(0)
        for check, count in zip(checks, counts, strict=True):
            if not count:
                continue
            raw = _col(check.column).cast(pl.String()) if check.column is not None else pl.lit("")
            shown = [raw] if check.detail is None else [raw, check.detail.alias("_detail")]
            mask = check.mask.fill_null(False).alias("_mask")
            rows = work.select("_row", *shown, mask).filter("_mask").drop("_mask")
            self.log.add_rows(check.column, rows.head(MAX_PROBLEMS), count, check.message)


def _mapped(
    i: int, role: _Role, values: list[str], parsed: list[object], has_errors: bool
) -> pl.Expr:
    """A categorical column's parsed values; when every distinct value already is its own
    code (a Kobo export of XML names), a cheap identity or cast replaces the lookup."""
    dtype = pl.Int8() if role.kind == "level" else pl.String()
    if not values:
        return pl.lit(None, dtype)
    if role.kind == "multi":
        identity = all(p is None or p == f" {v} " for v, p in zip(values, parsed, strict=True))
        if identity and not has_errors:
            return pl.when(_col(i) != "").then(pl.concat_str([pl.lit(" "), _col(i), pl.lit(" ")]))
    else:
        identity = all(
            (p is None and v == "") or (p is not None and str(p) == v)
            for v, p in zip(values, parsed, strict=True)
        )
        if identity and not has_errors:
            if role.kind == "level":
                return _col(i).cast(pl.Int8(), strict=False)
            return pl.when(_col(i) != "").then(_col(i))
    return _col(i).replace_strict(values, parsed, default=None, return_dtype=dtype)


def _disagrees(raw: str, chosen: str | None) -> str:
    return gettext_noop(
        "'%(value)s' does not agree with the one-column-per-choice answers "
        "(chosen there: %(chosen)s)",
        value=raw,
        chosen=chosen or gettext_noop("nothing"),
    )


def _in_summary(summary: int, code: str) -> pl.Expr:
    return pl.col(f"p{summary}").str.contains(f" {code} ", literal=True).fill_null(False)


def _not_01(code: str) -> Callable[[str], str]:
    return lambda v: gettext_noop(
        "'%(value)s' is not a 0/1 answer (1 when %(code)s was chosen, 0 or empty if not)",
        value=v,
        code=code,
    )


# --- consent, rejections and repeated submissions --------------------------------------------


def _consented(
    frame: pl.DataFrame, plan: _Plan, answers: _Answers, log: _ProblemLog
) -> tuple[pl.DataFrame, dict[str, int]]:
    """The rows to import: not rejected by a reviewer, and with consent given."""
    statuses = plan.columns("status")
    rejected = (
        pl.any_horizontal(
            [_col(i).str.strip_chars().str.to_lowercase().is_in(REJECTED) for i in statuses]
        ).fill_null(False)
        if statuses
        else pl.lit(False)
    )
    source = plan.first("consent")
    if source is None:
        if not plan.consent_elsewhere:
            log.add(
                gettext_noop(
                    "no consent column: add the consent question's answers, or say "
                    "'consent: %(elsewhere)s' in a mapping file",
                    elsewhere=COLLECTED_ELSEWHERE,
                )
            )
        consent, unreadable = pl.lit(True), pl.lit(False)
    else:
        parse = answers.parser(plan.roles[source])
        values = frame.get_column(f"c{source}").drop_nulls().unique().to_list()
        results = [parse(v) for v in values]
        consent = (
            _col(source).replace_strict(
                values, [r[0] for r in results], default=None, return_dtype=pl.Boolean()
            )
            if values
            else pl.lit(None, pl.Boolean())
        )
        errors = {v: r[1] for v, r in zip(values, results, strict=True) if r[1]}
        unreadable = _col(source).is_in(list(errors))
        bad = (
            frame.select("_row", _col(source), (unreadable & ~rejected).alias("_bad"))
            .filter("_bad")
            .drop("_bad")
        )
        log.add_rows(source, bad.head(MAX_PROBLEMS), bad.height, errors.__getitem__)
    # A row whose consent cannot be read stays in: the file fails anyway, and the person
    # fixing it should see that row's other problems too. An empty answer is not consent.
    flags = frame.select(
        rejected.alias("rejected"),
        (~rejected & ~consent.fill_null(False) & ~unreadable).alias("refused"),
    )
    skipped = {
        "rejected": int(flags["rejected"].sum()),
        "no consent": int(flags["refused"].sum()),
    }
    keep = ~(flags["rejected"] | flags["refused"])
    if not keep.all():  # filtering copies every column: only when rows really go
        frame = frame.filter(keep)
    return frame, {k: v for k, v in skipped.items() if v}


def _with_content_uuids(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows without an id get one from a hash of their answers: re-reading gives the same."""
    if frame.get_column("uuid").null_count() == 0:
        return frame
    answers = [c for c in frame.columns if c not in ("uuid", "_row")]
    text = pl.concat_str(
        [pl.col(c).cast(pl.String()).fill_null("") for c in answers], separator="\x1f"
    )
    hashed = text.map_batches(_sha256_uuids, return_dtype=pl.String())
    return frame.with_columns(pl.coalesce("uuid", hashed).alias("uuid"))


def _sha256_uuids(texts: pl.Series) -> pl.Series:
    return pl.Series(
        [str(uuidlib.UUID(bytes=hashlib.sha256(t.encode()).digest()[:16])) for t in texts],
        dtype=pl.String(),
    )


def _first_of_each_uuid(
    frame: pl.DataFrame, plan: _Plan, log: _ProblemLog
) -> tuple[pl.DataFrame, int]:
    """Keep the first row of each uuid; a later identical row is a repeat, a different one a
    problem (two answers cannot share one submission id)."""
    first = pl.col("uuid").is_first_distinct()
    if frame.height == 0 or frame.select(first.all()).item():
        return frame, 0
    answers = [c for c in frame.columns if c not in ("uuid", "_row")]
    frame = frame.with_columns(pl.struct(answers).hash().alias("_content"))
    firsts = frame.filter(first).select(
        "uuid", pl.col("_row").alias("_first_row"), pl.col("_content").alias("_first_content")
    )
    later = frame.filter(~first).join(firsts, on="uuid", how="left")
    differ = later.filter(pl.col("_content") != pl.col("_first_content")).sort("_row")
    column = plan.first("uuid")
    log.add_rows(
        column,
        differ.select("_row", "uuid", "_first_row").head(MAX_PROBLEMS),
        differ.height,
        lambda uuid, row: gettext_noop(
            "uuid '%(uuid)s' was already used on row %(row)s with different answers",
            uuid=uuid,
            row=row,
        ),
    )
    return frame.filter(first).drop("_content"), later.height - differ.height


def _read_chunks(
    reader: _ChunkReader, kept: pl.DataFrame, report: Callable[[int], None]
) -> pl.DataFrame:
    """Chunks are read on as many threads as Polars has (it releases the GIL); a chunk's
    many small column expressions barely use a second core otherwise."""
    if kept.height <= CHUNK_ROWS:
        frame = reader.read(kept)
        report(kept.height)
        return frame
    starts = range(0, kept.height, CHUNK_ROWS)
    with ThreadPoolExecutor(max_workers=pl.thread_pool_size()) as pool:
        forks = [reader.fork() for _ in starts]
        futures = [
            pool.submit(fork.read, kept.slice(start, CHUNK_ROWS))
            for fork, start in zip(forks, starts, strict=True)
        ]
        frames = []
        for future in futures:
            frames.append(future.result())
            report(sum(f.height for f in frames))
    for fork in forks:
        reader.log.found += fork.log.found
        reader.log.unlisted += fork.log.unlisted
    return pl.concat(frames)


# --- entry point -----------------------------------------------------------------------------

ODK_MARKERS = {"submissiondate", "meta-instanceid", "key", "reviewstate", "submitterid"}


def _column_types(
    headers: list[str],
    qn: Questionnaire,
    tax: Taxonomy,
    schema: dict[str, pl.DataType],
    mapping: Mapping | None,
) -> dict[int, pl.DataType]:
    """Numeric types to try for a CSV's 0/1 and level columns (read as text if any fails)."""
    plan, _ = _plan(headers, qn, tax, mapping, _ProblemLog("", headers))
    exported = _source(headers, schema, mapping) == "datacircle"
    return {
        i: (pl.Boolean() if exported else pl.Int8()) if role.kind == "split" else pl.Int8()
        for i, role in plan.roles.items()
        if role.kind in ("split", "level")
    }


def _source(headers: list[str], schema: dict[str, pl.DataType], mapping: Mapping | None) -> str:
    if set(headers) == set(schema):
        return "datacircle"
    if mapping is not None:
        return "mapping"
    if {_norm(h) for h in headers} & ODK_MARKERS:
        return "odk"
    return "kobo"


def read_responses(
    path: Path,
    *,
    questionnaire: Questionnaire | None = None,
    taxonomy: Taxonomy | None = None,
    mapping: Mapping | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read an export into the canonical frame; on any problem the frame is empty."""
    path = Path(path)
    qn = questionnaire or builtin_questionnaire()
    tax = taxonomy or builtin_taxonomy()
    schema = qn.frame_schema(tax)
    report = progress or (lambda done, total: None)
    empty = qn.empty_frame(tax)
    try:
        table = _read_table(
            path, mapping, lambda headers: _column_types(headers, qn, tax, schema, mapping)
        )
    except _Unreadable as e:
        problem = ImportProblem(path.name, None, None, e.args[0])
        return ImportResult(empty, [problem], {}, "mapping" if mapping else "kobo", [])
    source = _source(table.headers, schema, mapping)
    log = _ProblemLog(path.name, table.headers)
    plan, ignored = _plan(table.headers, qn, tax, mapping, log)
    if not plan.has_answers():
        shown = ", ".join(repr(h) for h in table.headers[:8])
        log.add(
            gettext_noop(
                "no column matches a question of the questionnaire (columns: %(columns)s); "
                "a file from another tool needs a mapping file",
                columns=shown,
            )
        )
        return ImportResult(empty, log.problems(), {}, source, ignored, table.encoding)
    total = table.frame.height
    report(0, total)
    answers = _Answers(qn, tax, mapping)
    kept, skipped = _consented(table.frame, plan, answers, log)
    types = {i: table.frame.schema[f"c{i}"] for i in range(len(table.headers))}
    reader = _ChunkReader(plan, answers, schema, types, log)
    reader.settle_date_format(kept)
    frame = _read_chunks(reader, kept, lambda done: report(total - kept.height + done, total))
    frame, repeated = _first_of_each_uuid(_with_content_uuids(frame), plan, log)
    if repeated:
        skipped["repeated in file"] = repeated
    problems = log.problems()
    if not problems:
        empty = frame.select([pl.col(n).cast(t) for n, t in schema.items()])
    report(total, total)
    return ImportResult(empty, problems, skipped, source, ignored, table.encoding)
