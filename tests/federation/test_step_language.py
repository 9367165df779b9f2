"""A pull's steps are written untranslated and read in the reader's language, plurals included."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from datacircle.core.i18n import Message
from datacircle.federation import pull
from datacircle.jobs import runner
from datacircle.jobs.models import Job
from tests.federation.conftest import module_text


def _fetched_step(peer_row, fake_peer) -> Message:
    """The "Fetched N changed modules" step of a pull started by an Arabic reader."""
    steps = []
    with translation.override("ar"):  # the pull job runs in its starter's language
        pull.pull(peer_row, fetch=fake_peer, progress=lambda *step: steps.append(step[2]))
    (fetched,) = [s for s in steps if str(s).startswith("Fetched")]
    return fetched


def _page_in_arabic(client, user, step) -> str:
    job = Job.objects.create(kind="federation.pull", title="Pull", created_by=user)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    runner.Progress(job).step(step)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    return client.get(reverse("job", args=[job.pk])).content.decode()


def test_the_fetched_step_is_stored_in_english_and_read_with_the_arabic_dual(
    network, login, fake_peer, peer_row
):
    fetched = _fetched_step(peer_row, fake_peer)
    assert fetched == "Fetched 2 changed modules", "not translated when written"
    admin = network["admin"]
    page = _page_in_arabic(login(admin), admin.user, fetched)
    assert "جُلبت وحدتان تدريبيتان معدّلتان" in page


def test_eleven_fetched_modules_take_the_arabic_form_for_eleven(
    network, login, fake_peer, peer_row
):
    for n in range(9):
        fake_peer.publish(module_text("ghana-rc", f"module-{n}"))
    fetched = _fetched_step(peer_row, fake_peer)
    assert fetched == "Fetched 11 changed modules"
    admin = network["admin"]
    page = _page_in_arabic(login(admin), admin.user, fetched)
    assert "جُلبت 11 وحدةً تدريبيةً معدّلةً" in page
    job = Job.objects.get()
    assert job.step == "Fetched %(n)d changed module" and job.step_params["n"] == 11
