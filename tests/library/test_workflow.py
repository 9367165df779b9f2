"""Writing, checking, reviewing and publishing modules; adapting and translating with
provenance; versions and what changed; who may do what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from datacircle.core import modules as core
from datacircle.library import services
from datacircle.library.models import Module
from tests.conftest import pdf_text

GOOD = {
    "title": "Counting what matters",
    "summary": "A team picks three numbers that show whether a distribution went well.",
    "language": "en",
    "skills": ["analysis"],
    "level": "1",
    "duration": "30",
    "unplugged": "on",
    "outcomes": "Participants will be able to choose three indicators for a distribution.",
    "materials": "Sticky notes",
    "body": "## How to run it\n\nAsk each pair for *one* number.",
    "contributors": "Baraka Mwangi",
    "licence": "CC-BY-4.0",
    "disabled_rules": "",
    "agenda-TOTAL_FORMS": "3",
    "agenda-INITIAL_FORMS": "0",
    "agenda-0-minutes": "20",
    "agenda-0-kind": "exercise",
    "agenda-0-participatory": "on",
    "agenda-0-title": "Pick the numbers",
    "agenda-1-minutes": "10",
    "agenda-1-kind": "reflection",
    "agenda-1-participatory": "on",
    "agenda-1-title": "What we will count",
}


@pytest.fixture
def written(network, facilitator, login):
    client = login(facilitator)
    response = client.post(reverse("library-new"), {**GOOD, "action": "save"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client, Module.objects.get(title="Counting what matters")


def test_a_facilitator_writes_a_module_that_passes_the_design_check(written):
    client, module = written
    assert (module.slug, module.organisation.slug, module.status) == (
        "counting-what-matters",
        "kenya-rc",
        "draft",
    )
    m = core.parse(module.source)
    assert [a.minutes for a in m.agenda] == [20, 10] and m.body.startswith("## How to run it")
    page = client.get(reverse("library-module", args=[module.pk])).content.decode()
    assert "The module follows every design rule." in page
    assert "<em>one</em>" in page  # the notes are rendered Markdown


def test_the_editor_shows_design_problems_before_saving(network, facilitator, login):
    client = login(facilitator)
    long_talk = {
        **GOOD,
        "agenda-0-kind": "presentation",
        "agenda-0-participatory": "",
        "outcomes": "Participants will understand indicators.",
        "action": "preview",
    }
    page = client.post(reverse("library-new"), long_talk).content.decode()
    for rule in ("DC004", "DC005", "DC006"):
        assert rule in page
    assert not Module.objects.exists()
    live = client.post(reverse("library-new-preview"), long_talk).content.decode()
    assert "DC006" in live and "<html" not in live


def test_notes_are_sanitised(network, facilitator, login):
    client = login(facilitator)
    evil = {**GOOD, "body": "Hi <script>alert(1)</script><a href='javascript:x'>x</a>"}
    client.post(reverse("library-new"), {**evil, "action": "save"})
    module = Module.objects.get()
    page = client.get(reverse("library-module", args=[module.pk])).content.decode()
    assert "<script>alert(1)" not in page and "javascript:x" not in page


def test_review_publish_edit_and_publish_again_keep_versions(written, network, login, client):
    facilitator_client, module = written
    url = reverse("library-action", args=[module.pk])
    facilitator_client.post(url, {"action": "review"})
    refused = facilitator_client.post(url, {"action": "publish"})
    assert refused.status_code == 403  # facilitators write, coordinators publish
    facilitator_client.logout()
    coordinator = login(network["kenyan_coordinator"])
    coordinator.post(url, {"action": "publish"})
    module.refresh_from_db()
    first = module.versions.get(number=1)
    assert module.status == "published" and "version: 1" in first.source

    edited = {**GOOD, "title": "Counting what matters most", "action": "save"}
    coordinator.post(reverse("library-edit", args=[module.pk]), edited)
    module.refresh_from_db()
    assert module.status == "draft"
    assert module.versions.get(number=1).source == first.source  # published text never changes
    coordinator.post(url, {"action": "publish"})
    assert list(module.versions.values_list("number", flat=True)) == [1, 2]
    diff = coordinator.get(reverse("library-diff", args=[module.pk]) + "?from=1&to=2")
    text = diff.content.decode()
    assert "title: Counting what matters most" in text and 'class="added"' in text

    # Others in the network read the published version, not the working copy.
    coordinator.logout()
    reader = login(network["senegalese"])
    page = reader.get(reverse("library-module", args=[module.pk]))
    assert page.status_code == 200 and "Counting what matters most" in page.content.decode()
    assert reader.get(reverse("library-edit", args=[module.pk])).status_code == 404


def test_publishing_is_refused_while_a_rule_is_broken(written, network, login):
    facilitator_client, module = written
    bad = {**GOOD, "agenda-1-kind": "exercise", "action": "save"}  # no closing reflection
    facilitator_client.post(reverse("library-edit", args=[module.pk]), bad)
    facilitator_client.logout()
    coordinator = login(network["kenyan_coordinator"])
    page = coordinator.post(
        reverse("library-action", args=[module.pk]), {"action": "publish"}, follow=True
    )
    assert "Fix the design problems first: DC007." in page.content.decode()
    assert not module.versions.exists()
    # A rule switched off with a written reason no longer blocks publishing.
    reasoned = {**bad, "disabled_rules": "DC007 We close with a commitment exercise."}
    coordinator.post(reverse("library-edit", args=[module.pk]), reasoned)
    coordinator.post(reverse("library-action", args=[module.pk]), {"action": "publish"})
    assert module.versions.count() == 1


def test_drafts_stay_inside_their_organisation(written, network, login, client):
    _facilitator_client, module = written
    _facilitator_client.logout()
    other = login(network["senegalese"])
    assert other.get(reverse("library-module", args=[module.pk])).status_code == 404
    other.logout()
    member = login(network["kenyan"])
    assert member.get(reverse("library-new")).status_code == 403


def test_adapt_and_translate_keep_provenance(starter, network, facilitator, login):
    client = login(facilitator)
    original = Module.objects.get(organisation__isnull=True, slug="one-chart-one-message")
    response = client.post(reverse("library-adapt", args=[original.pk]))
    adapted = Module.objects.get(organisation=network["kenya"])
    assert response.url == reverse("library-edit", args=[adapted.pk])
    assert adapted.derived_from == original.latest_version
    m = core.parse(adapted.source)
    assert (m.derived_from, m.organisation, m.status, m.version) == (
        "datacircle/one-chart-one-message@1",
        "kenya-rc",
        "draft",
        0,
    )
    assert "Baraka Mwangi" in m.contributors and "Data Circle team" in m.contributors
    page = client.get(reverse("library-module", args=[adapted.pk])).content.decode()
    assert "Adapted from" in page and "datacircle/one-chart-one-message@1" in page
    assert (
        "Adaptations" in client.get(reverse("library-module", args=[original.pk])).content.decode()
    )

    client.post(reverse("library-translate", args=[original.pk]), {"language": "es"})
    spanish = Module.objects.get(language="es")
    assert spanish.translation_of == original
    assert core.parse(spanish.source).translation_of == "datacircle/one-chart-one-message"
    # Translating the translation points to the same original; one per language.
    refused = client.post(
        reverse("library-translate", args=[spanish.pk]), {"language": "es"}, follow=True
    )
    assert "already exists in that language" in refused.content.decode()


def test_the_facilitator_sheet_is_a_pdf(starter, network, login):
    module = Module.objects.get(organisation__isnull=True, slug="designing-with-data-protection-ar")
    response = login(network["kenyan"]).get(reverse("library-sheet", args=[module.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_facilitator_sheet_reads_wholly_in_the_modules_language(
    starter, network, login, weasyprint_html
):
    client = login(network["kenyan"])  # reads Data Circle in English
    arabic = Module.objects.get(organisation__isnull=True, slug="designing-with-data-protection-ar")
    pdf = client.get(reverse("library-sheet", args=[arabic.pk])).content
    printed = weasyprint_html[-1]
    assert '<html lang="ar" dir="rtl">' in printed
    for heading in ("نواتج التعلم", "جدول الأعمال", "ملاحظات الميسّر"):  # outcomes, agenda, notes
        assert f">{heading}</h2>" in printed
    assert "<td>نقاش</td>" in printed and "<td>discussion</td>" not in printed  # activity kinds
    assert "Learning outcomes" not in printed
    # The running footer takes the title from the heading (no CSS escaping of people's words).
    assert "string-set: title" in printed and "string(title)" in printed
    text = pdf_text(pdf)
    assert "التصميم مع مراعاة إرشادات حماية البيانات" in text and "نواتج التعلم" in text

    # An English module read by someone who reads Data Circle in Arabic stays English.
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    english = Module.objects.get(organisation__isnull=True, slug="designing-with-data-protection")
    client.get(reverse("library-sheet", args=[english.pk]))
    printed = weasyprint_html[-1]
    assert '<html lang="en" dir="ltr">' in printed and ">Learning outcomes</h2>" in printed
    assert "<td>Discussion</td>" in printed


def test_services_refuse_to_send_a_module_twice_for_review(written):
    _client, module = written
    services.submit_for_review(module)
    with pytest.raises(services.LibraryError):
        services.submit_for_review(module)


def test_a_published_version_cannot_be_rewritten(starter):
    from datacircle.library.models import ModuleVersion

    version = ModuleVersion.objects.first()
    version.source = version.source.replace("version: 1", "version: 1\n# sneaky")
    with pytest.raises(ValueError, match="cannot change"):
        version.save()
