"""The questionnaire editor: the current version as YAML, problems listed with their paths,
saving as a new version, the versions list and the questions preview."""

from __future__ import annotations

from django.urls import reverse

from tests.maturity.conftest import SMALL


def test_the_editor_shows_the_current_version_as_yaml_and_its_questions(
    network, login, builtin_version
):
    html = (
        login(network["kenyan_coordinator"]).get(reverse("maturity-questionnaire")).content.decode()
    )
    q = builtin_version.parsed()
    assert "<textarea" in html and "id: leadership" in html
    assert q.questions[0].text in html  # the preview
    assert q.stages[0].name in html
    assert "Built-in" in html and "(current)" in html


def test_problems_are_listed_with_paths_and_nothing_is_saved(network, login, builtin_version):
    from datacircle.maturity.models import Questionnaire

    broken = (
        SMALL.replace("area: process", "area: processes")
        .replace(
            "- {score: 3, text: Mostly}\n          - {score: 5, text: Always}\n  - id: tools",
            "- {score: 3, text: Mostly}\n          - {score: 2, text: Always}\n  - id: tools",
        )
        .replace("skills: [tools, collection]", "skills: [tools, colection]")
    )
    response = login(network["kenyan_coordinator"]).post(
        reverse("maturity-questionnaire"), {"text": broken}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The questionnaire has 3 problems; nothing was saved" in html
    assert "dimensions[1].area: must be one of people, process, technology" in html
    assert "dimensions[1].questions[1].answers[2].score: scores must go up" in html
    assert "dimensions[2].skills[1]: unknown skill code &#x27;colection&#x27;" in html
    assert "(did you mean &#x27;collection&#x27;?)" in html
    assert "processes" in html  # the text typed stays in the editor
    assert not Questionnaire.objects.filter(organisation__isnull=False).exists()


def test_yaml_syntax_errors_say_where(network, login, builtin_version):
    response = login(network["kenyan_coordinator"]).post(
        reverse("maturity-questionnaire"), {"text": "version: 1\nstages: [\n"}
    )
    assert response.status_code == 400
    assert "not valid YAML" in response.content.decode()
    assert "line " in response.content.decode()


def test_saving_makes_a_new_version_and_leaves_the_old_ones(network, login, builtin_version):
    from datacircle.maturity.models import Questionnaire
    from datacircle.maturity.services import current_questionnaire

    client = login(network["kenyan_coordinator"])
    url = reverse("maturity-questionnaire")
    builtin_content = builtin_version.content
    assert client.post(url, {"text": SMALL}).status_code == 302
    first = current_questionnaire(network["kenya"])
    assert first.organisation == network["kenya"]
    # Numbered after the built-in, whatever the text said.
    assert (
        first.version == builtin_version.version + 1 and first.content["version"] == first.version
    )
    assert first.created_by == network["kenyan_coordinator"]
    assert client.post(url, {"text": SMALL.replace("Seed", "Seedling")}).status_code == 302
    second = current_questionnaire(network["kenya"])
    assert second.version == first.version + 1
    first.refresh_from_db()
    builtin_version.refresh_from_db()
    assert first.content["stages"][0]["name"] == "Seed"
    assert builtin_version.content == builtin_content
    # Senegal still uses the built-in.
    assert current_questionnaire(network["senegal"]) == builtin_version
    assert Questionnaire.objects.count() == 3
    html = client.get(url).content.decode()
    assert "Seedling" in html and f"<td>{first.version}</td>" in html


def test_loading_the_builtin_again_changes_nothing(db):
    from datacircle.core import maturity as core
    from datacircle.maturity.models import Questionnaire
    from datacircle.maturity.services import load_builtin_questionnaire

    first = load_builtin_questionnaire()
    again = load_builtin_questionnaire()
    assert first == again and Questionnaire.objects.count() == 1
    assert first.parsed() == core.builtin()


def test_a_french_coordinator_reads_the_problems_in_french_with_path_and_line(
    network, login, builtin_version
):
    """A language code the questionnaire does not know, in the editor read in French: the
    problem is in French, after its path, with its line; the YAML typed stays as it was."""
    from datacircle.maturity.models import Questionnaire

    broken = SMALL.replace(
        "    name: Leadership\n", "    name:\n      en: Leadership\n      fre: Direction\n"
    )
    line = broken.splitlines().index("      fre: Direction") + 1
    client = login(network["kenyan_coordinator"])
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    response = client.post(reverse("maturity-questionnaire"), {"text": broken})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "dimensions[0].name.fre : langue inconnue &#x27;fre&#x27; (vouliez-vous dire &#x27;fr"
        f"&#x27; ?) ; utilisez en, fr, es, ar (ligne {line})"
    ) in html
    assert "unknown language" not in html
    assert "fre: Direction" in html  # the text typed stays in the editor
    assert not Questionnaire.objects.filter(organisation__isnull=False).exists()


def test_a_yaml_syntax_error_reads_in_arabic_with_its_line_and_column(
    network, login, builtin_version
):
    client = login(network["kenyan_coordinator"])
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    response = client.post(
        reverse("maturity-questionnaire"), {"text": "version: 1\n\tstages: []\n"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "السطر 2، العمود 1: ليس YAML صالحًا: حرف جدولة (tab)؛ استخدم المسافات وحدها للإزاحة" in html
    )
    assert "not valid YAML" not in html
