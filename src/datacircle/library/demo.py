"""Demo library: the starter library, plus Kenya's own adaptation of one module (published)
and a draft that a Kenyan facilitator sent for review."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction

from datacircle.accounts.models import Organisation, Person
from datacircle.library import services
from datacircle.library.models import Module

ADAPTED = "one-chart-one-message"


@transaction.atomic
def load_demo() -> dict:
    services.load_starter_library()  # `datacircle demo` loaded it already when it migrated
    kenya = Organisation.objects.filter(slug="kenya-rc").first()
    original = Module.objects.filter(organisation__isnull=True, slug=ADAPTED).first()
    adapted = 0
    if kenya is not None and original is not None and original.latest_version:
        facilitator = Person.objects.filter(organisation=kenya, role="facilitator").first()
        coordinator = Person.objects.filter(organisation=kenya, role="coordinator").first()
        module = services.adapt(original.latest_version, kenya, facilitator)
        m = services.parsed(module)
        services.save_working_copy(
            module,
            replace(
                m,
                title=f"{m.title} (Kenya Red Cross branches)",
                summary=m.summary
                + " Adapted with examples from branch volunteers' monthly reports.",
            ),
        )
        services.publish(module, coordinator)
        draft = services.adapt(original.latest_version, kenya, facilitator)
        services.save_working_copy(
            draft,
            replace(services.parsed(draft), title=f"{m.title}: health posts edition"),
        )
        services.submit_for_review(draft)
        adapted = 2
    return {"modules": Module.objects.count(), "adaptations": adapted}
