"""Every user-facing word goes through translation: no template shows text that is not marked,
and every app's catalogues hold exactly the strings its code and templates mark."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "datacircle"
TEMPLATES = sorted(PACKAGE.glob("*/templates/**/*.html"))
LANGUAGES = ("fr", "es", "ar")

# Django tags, variables and comments, and whole translated blocks, stand for themselves.
BLOCK = re.compile(
    r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}",
    re.S,
)
TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more, in any script
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "value"}
# Text that is the same in every language: names, formats and units.
ALLOWED = {
    "Data Circle",
    "CSV",
    "XLSX",
    "PDF",
    "HXL",
    "XLSForm",
    "KoboToolbox",
    "ODK",
    "Markdown",
    "OpenAPI",
    "JSON",
    "iCalendar",
    "ICS",
}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg", "code", "pre"):
            self._skip += 1
        kind = dict(attrs).get("type", "")
        for name, value in attrs:
            # A button's value is sent, not shown; an input button shows its value.
            shown = name != "value" or (tag == "input" and kind in ("submit", "button", "reset"))
            if name in VISIBLE_ATTRIBUTES and shown:
                self._check(value or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg", "code", "pre") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._check(data)

    def _check(self, text: str) -> None:
        text = " ".join(text.split())
        for allowed in ALLOWED:
            text = text.replace(allowed, "")
        if WORD.search(text):
            self.found.append(text)


def unmarked(source: str) -> list[str]:
    stripped = TAG.sub(" ", BLOCK.sub(" ", source))
    parser = _Text()
    parser.feed(stripped)
    return parser.found


def test_the_checker_finds_unmarked_text_and_accepts_marked_text():
    assert unmarked("<p>Hello {{ name }}</p>") == ["Hello"]
    assert unmarked('<input placeholder="Search">') == ["Search"]
    assert unmarked('<a title="Open it" href="/">{% translate "Open" %}</a>') == ["Open it"]
    assert unmarked('<input type="submit" value="Send">') == ["Send"]
    assert unmarked('<button name="action" value="save">{% translate "Save" %}</button>') == []
    assert (
        unmarked(
            "<p>{% blocktranslate with n=count %}{{ n }} people{% endblocktranslate %}</p>"
            "<p>{% translate 'Hello' %} · {{ count }} – CSV</p><script>var a = 'text';</script>"
        )
        == []
    )


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_templates_show_no_text_that_is_not_marked_for_translation(template):
    assert unmarked(template.read_text(encoding="utf-8")) == []


def _msgids(po: Path) -> set[str]:
    """The translatable strings of a catalogue (singular msgids, joined across lines)."""
    ids, current, reading = set(), [], False
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current, reading = [line[6:]], True
        elif line.startswith('"') and reading:
            current.append(line)
        else:
            if reading:
                text = "".join(part.strip()[1:-1] for part in current)
                if text:
                    ids.add(text)
            reading = False
    return ids


APPS_WITH_CATALOGUES = sorted(p.parent for p in PACKAGE.glob("*/locale"))
# Apps with scripts of their own: their words are in the `djangojs` domain.
APPS_WITH_SCRIPTS = sorted(
    {PACKAGE / p.relative_to(PACKAGE).parts[0] for p in PACKAGE.glob("*/static/**/*.js")}
)
CATALOGUES = [(app, "django") for app in APPS_WITH_CATALOGUES] + [
    (app, "djangojs") for app in APPS_WITH_SCRIPTS
]


@pytest.mark.parametrize(
    ("app", "domain"), CATALOGUES, ids=[f"{app.name}-{domain}" for app, domain in CATALOGUES]
)
def test_catalogues_are_up_to_date_with_the_code(app, domain, tmp_path):
    """What `makemessages` would extract now is exactly what the committed catalogues hold:
    a new or changed string without its translations fails here, in templates and Python
    (`django`) as in scripts (`djangojs`)."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed: apt-get install gettext")
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    subprocess.run(
        [
            "django-admin",
            "makemessages",
            f"--domain={domain}",
            "--locale=fr",  # the strings are the same for every language
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "datacircle.web.settings", **_environment()},
    )
    extracted = copy / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"
    fresh = _msgids(extracted) if extracted.exists() else set()  # scripts may show no words
    for language in LANGUAGES:
        committed = app / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
        assert committed.exists() or not fresh, f"{app.name} has no {language} {domain} catalogue"
        held = _msgids(committed) if committed.exists() else set()
        name = f"{app.name}/{language}/{domain}"
        assert fresh - held == set(), f"{name}: strings missing from the catalogue"
        assert held - fresh == set(), f"{name}: strings no longer in the code"


def _environment() -> dict[str, str]:
    import os
    import sys

    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


SCRIPT_CATALOGUES = [
    app / "locale" / language / "LC_MESSAGES" / "djangojs.po"
    for app in APPS_WITH_SCRIPTS
    for language in LANGUAGES
    if (app / "locale" / language / "LC_MESSAGES" / "djangojs.po").exists()
]


@pytest.mark.parametrize(
    "po", SCRIPT_CATALOGUES, ids=lambda p: f"{p.parents[3].name}-{p.parents[1].name}"
)
def test_script_catalogues_are_translated_and_compiled(po, tmp_path):
    """Every word a script shows has its translation (every plural form: six in Arabic), and
    the committed .mo, which the JavaScript catalogue is built from, says the same as the .po."""
    import gettext

    if shutil.which("msgfmt") is None:
        pytest.fail("GNU gettext (msgfmt) is needed: apt-get install gettext")
    compiled = tmp_path / "djangojs.mo"
    checked = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
        env={**_environment(), "LC_ALL": "C"},
    )
    assert checked.returncode == 0, checked.stderr
    assert "untranslated" not in checked.stderr and "fuzzy" not in checked.stderr, checked.stderr

    def catalogue(path: Path) -> dict:
        with path.open("rb") as mo:
            return gettext.GNUTranslations(mo)._catalog

    assert catalogue(po.with_suffix(".mo")) == catalogue(compiled), f"compile {po} again"
