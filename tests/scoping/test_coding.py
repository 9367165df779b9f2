"""Free-text "other" answers: coded automatically when clear, reviewed when not, and each
decision teaches the coding of later answers."""

from __future__ import annotations

from django.urls import reverse

from datacircle.scoping import services
from datacircle.scoping.models import Coding, Round
from tests.scoping.conftest import frame_of


def save(round, *answers):
    services.save_frame(round, frame_of(*answers), "kobo")


def test_clear_answers_are_coded_and_counted(network, round):
    save(round, *[{"unit": "Health", "learn": {}, "learn_other": "Power BI"} for _ in range(6)])
    coding = Coding.objects.get(round=round, question="learn_other")
    assert coding.status == Coding.Status.AUTOMATIC
    assert coding.codes == ["dashboards"]
    assert coding.occurrences == 6
    round.refresh_from_db()
    assert services.analysis_for(round).skill("dashboards").demand.value == 6


def test_unclear_answers_wait_for_a_coordinator(network, login, round):
    save(round, *[{"learn_other": "zzq blorp"} for _ in range(5)])
    coding = Coding.objects.get(round=round)
    assert coding.status == Coding.Status.PENDING
    client = login(network["kenyan_coordinator"])
    page = client.get(reverse("scoping-coding", args=[round.pk]))
    assert "zzq blorp" in page.content.decode()
    client.post(
        reverse("scoping-coding", args=[round.pk]),
        {"coding": coding.pk, f"c{coding.pk}-codes": ["programming"]},
    )
    coding.refresh_from_db()
    assert coding.status == Coding.Status.CONFIRMED and coding.codes == ["programming"]
    round.refresh_from_db()
    assert services.analysis_for(round).skill("programming").demand.value == 5


def test_a_decision_teaches_later_rounds(network, round):
    save(round, {"learn_other": "zzq blorp"})
    services.decide(Coding.objects.get(round=round), ["programming"], None)
    later = Round.objects.create(organisation=network["kenya"], title="Later", slug="later")
    save(later, {"learn_other": "ZZQ  Blorp"})
    coding = Coding.objects.get(round=later)
    assert coding.status == Coding.Status.AUTOMATIC
    assert coding.codes == ["programming"]


def test_members_cannot_see_free_text(network, login, round):
    save(round, {"learn_other": "something personal"})
    assert (
        login(network["kenyan"]).get(reverse("scoping-coding", args=[round.pk])).status_code == 404
    )


def test_barriers_in_other_words_and_languages(network, round):
    save(
        round,
        *[
            {"barriers": ["other"], "barriers_other": text}
            for text in ("No laptop", "pas d'ordinateur")
        ],
        {"barriers": ["other"], "barriers_other": "internet is too slow in the field"},
    )
    codings = {c.example: c for c in Coding.objects.filter(round=round, question="barriers_other")}
    assert codings["No laptop"].codes == ["connectivity"]
    assert codings["pas d'ordinateur"].codes == ["connectivity"]
    unclear = codings["internet is too slow in the field"]
    assert unclear.status == Coding.Status.PENDING and unclear.suggested[0] == "connectivity"
