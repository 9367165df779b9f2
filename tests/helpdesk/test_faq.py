"""The FAQ: promoting an answer (without names), translations, search with the ranker, and
the suggestions shown while a question is typed."""

from __future__ import annotations

import pytest

from datacircle.helpdesk import services
from datacircle.helpdesk.models import FaqEntry


@pytest.fixture
def answered(network, leaders, ask):
    question = ask(
        network["kenyan"], "How do I remove duplicate rows, Wanjiru asks?", "spreadsheets"
    )
    answer = services.reply(
        question,
        "Hi Wanjiru, use *Data > Remove duplicates* on the ID column. Grace",
        author=question.assigned_to,
        by_asker=False,
        tell=False,
    )
    return question, answer


def promote(client, question, answer, **changes):
    form = client.get(f"/helpdesk/questions/{question.pk}/promote/{answer.pk}/").context["form"]
    data = {**form.initial, **changes}
    return client.post(f"/helpdesk/questions/{question.pk}/promote/{answer.pk}/", data)


def test_a_coordinator_promotes_an_answer_without_names(network, answered, client, login):
    question, answer = answered
    login(network["kenyan_coordinator"])
    draft = client.get(f"/helpdesk/questions/{question.pk}/promote/{answer.pk}/")
    assert "Wanjiru" not in draft.context["form"].initial["body"]
    assert "Wanjiru" not in draft.context["form"].initial["title"]
    assert "Grace" not in draft.context["form"].initial["body"]
    response = promote(client, question, answer, title="How do I remove duplicate rows?")
    entry = FaqEntry.objects.get()
    assert response["Location"] == f"/helpdesk/faq/{entry.pk}/"
    assert (entry.skill, entry.language, entry.source) == ("spreadsheets", "en", question)
    assert "Remove duplicates" in entry.body and "Wanjiru" not in entry.body


def test_only_coordinators_of_the_organisation_promote(network, leaders, answered, client, login):
    question, answer = answered
    for person in (network["kenyan"], leaders["grace"], leaders["fatou"]):
        login(person)
        url = f"/helpdesk/questions/{question.pk}/promote/{answer.pk}/"
        assert client.get(url).status_code == 404
    assert not FaqEntry.objects.exists()


def test_the_askers_own_reply_cannot_be_promoted(network, answered, client, login):
    question, _answer = answered
    own = services.reply(question, "Thanks", author=network["kenyan"], by_asker=True, tell=False)
    login(network["kenyan_coordinator"])
    assert client.get(f"/helpdesk/questions/{question.pk}/promote/{own.pk}/").status_code == 404


@pytest.fixture
def entry(network):
    return FaqEntry.objects.create(
        organisation=network["kenya"],
        title="How do I remove duplicate rows in Excel?",
        body="Use *Data > Remove duplicates* on the ID column.",
        skill="spreadsheets",
        language="en",
    )


def test_everyone_signed_in_reads_the_faq_across_the_network(network, entry, client, login):
    login(network["senegalese"])
    assert entry.title in client.get("/helpdesk/faq/").content.decode()
    page = client.get(f"/helpdesk/faq/{entry.pk}/").content.decode()
    assert "<em>Data &gt; Remove duplicates</em>" in page
    assert "Edit" not in page  # a member of another organisation
    client.logout()
    assert client.get("/helpdesk/faq/").status_code == 302


def test_a_translation_is_linked_and_shown_first_in_the_readers_language(
    network, leaders, entry, client, login
):
    login(leaders["fatou"])
    response = client.post(
        f"/helpdesk/faq/{entry.pk}/translate/",
        {
            "language": "fr",
            "title": "Comment supprimer les lignes en double dans Excel ?",
            "body": "Utilisez *Données > Supprimer les doublons*.",
        },
    )
    french = FaqEntry.objects.get(language="fr")
    assert response["Location"] == f"/helpdesk/faq/{french.pk}/"
    assert (french.original, french.skill, french.organisation) == (
        entry,
        "spreadsheets",
        network["senegal"],
    )
    assert french.title in client.get(f"/helpdesk/faq/{entry.pk}/").content.decode()
    # The same language twice is refused.
    response = client.post(
        f"/helpdesk/faq/{french.pk}/translate/", {"language": "fr", "title": "x", "body": "y"}
    )
    assert response.status_code == 200
    assert FaqEntry.objects.count() == 2

    # A French reader finds the family once, in French; an English reader in English.
    client.cookies["django_language"] = "fr"
    listing = client.get("/helpdesk/faq/").content.decode()
    assert french.title in listing and entry.title not in listing
    client.cookies["django_language"] = "en"
    listing = client.get("/helpdesk/faq/?q=doublons").content.decode()
    assert entry.title in listing and french.title not in listing


def test_members_cannot_translate_or_edit(network, entry, client, login):
    login(network["kenyan"])
    assert client.get(f"/helpdesk/faq/{entry.pk}/translate/").status_code == 403
    assert client.get(f"/helpdesk/faq/{entry.pk}/edit/").status_code == 404


def test_coordinators_edit_their_organisations_entries_only(network, leaders, entry, client, login):
    login(leaders["fatou"])
    assert client.get(f"/helpdesk/faq/{entry.pk}/edit/").status_code == 404
    login(network["kenyan_coordinator"])
    client.post(
        f"/helpdesk/faq/{entry.pk}/edit/",
        {"title": "Remove duplicates", "body": "New text", "skill": "cleaning", "language": "en"},
    )
    entry.refresh_from_db()
    assert (entry.title, entry.body, entry.skill) == ("Remove duplicates", "New text", "cleaning")


def test_search_filters_by_skill_and_language_and_ranks_by_text(network, entry, client, login):
    FaqEntry.objects.create(
        organisation=network["kenya"],
        title="Make a map of the branches",
        body="Use QGIS and the branch points.",
        skill="gis",
        language="en",
    )
    login(network["kenyan"])

    def titles(query):
        return [e.title for e in client.get("/helpdesk/faq/" + query).context["results"]]

    assert titles("?q=DUPLICATES") == [entry.title]
    assert titles("?q=mapp+branchs") == ["Make a map of the branches"]
    assert titles("?q=tableur") == [entry.title]  # French name of the skill, via the taxonomy
    assert titles("?skill=gis") == ["Make a map of the branches"]
    assert titles("?language=fr") == []
    assert titles("?q=volcano") == []


def test_suggestions_while_typing(network, entry, client, login):
    login(network["senegalese"])
    fragment = client.get("/helpdesk/suggestions/", {"q": "remove duplicate rows"})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert entry.title in html and f'href="/helpdesk/faq/{entry.pk}/"' in html
    data = client.get("/helpdesk/suggestions/", {"q": "duplicates", "format": "json"}).json()
    assert [s["title"] for s in data["suggestions"]] == [entry.title]
    assert data["suggestions"][0]["kind"] == "FAQ"
    assert client.get("/helpdesk/suggestions/", {"q": "volcano"}).content.strip() == b""
    client.logout()
    assert client.get("/helpdesk/suggestions/", {"q": "duplicates"}).status_code == 302


def test_suggestions_show_each_entry_once_in_the_askers_language(network, entry, client, login):
    FaqEntry.objects.create(
        organisation=network["senegal"],
        title="Supprimer les doublons dans Excel",
        body="Données > Supprimer les doublons.",
        skill="spreadsheets",
        language="fr",
        original=entry,
    )
    login(network["senegalese"])
    data = client.get(
        "/helpdesk/suggestions/", {"q": "doublons excel", "language": "fr", "format": "json"}
    ).json()
    assert [s["language"] for s in data["suggestions"]] == ["fr"]
