"""The library editor shows the core's lint findings and file problems in the reader's language."""

from __future__ import annotations

from django.urls import reverse

from datacircle.core import modules as core
from datacircle.library.views import problem_text
from tests.library.test_workflow import GOOD


def test_a_french_reader_sees_lint_findings_in_french(network, facilitator, login):
    client = login(facilitator)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    long_talk = {
        **GOOD,
        "agenda-0-kind": "presentation",
        "agenda-0-participatory": "",
        "action": "preview",
    }
    page = client.post(reverse("library-new-preview"), long_talk).content.decode()
    assert "Un bloc de présentation dure 20 minutes" in page
    assert "A presentation block lasts" not in page


def test_a_module_file_problem_reads_in_arabic(db):
    from django.utils import translation

    try:
        core.parse("---\nduration: ten\n---\n", source="m.md")
    except core.ModuleFormatError as error:
        problem = next(p for p in error.problems if p.path == "duration")
    assert problem.message == "must be a whole number from 5 to 240, not 'ten'"
    with translation.override("ar"):
        assert problem_text(problem) == "duration: يجب أن يكون عددًا صحيحًا من 5 إلى 240، لا 'ten'"
