"""Background jobs of scoping: importing an export file into a round."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.urls import reverse

from datacircle.core.i18n import as_json, gettext_noop, ngettext_lazy
from datacircle.jobs.models import Job
from datacircle.jobs.runner import JobFailed, Progress, job_kind
from datacircle.scoping.models import Round

MAX_PROBLEMS_SHOWN = 1000


@job_kind("scoping.import")
def import_file(job: Job, progress: Progress) -> dict:
    from datacircle.core.imports import MappingError, load_mapping, read_responses
    from datacircle.scoping import services

    round = Round.objects.select_related("organisation").get(pk=job.payload["round"])
    taxonomy = services.taxonomy_for(round.organisation)
    with tempfile.TemporaryDirectory(prefix="datacircle-import-") as folder:
        mapping = None
        if job.payload.get("mapping"):
            mapping_path = Path(folder) / job.payload.get("mapping_name", "mapping.yaml")
            mapping_path.write_text(job.payload["mapping"], encoding="utf-8")
            try:
                mapping = load_mapping(mapping_path)
            except MappingError as error:
                raise JobFailed(error.args[0]) from error  # the core's message, untranslated
        path = Path(folder) / Path(job.upload_name).name
        path.write_bytes(bytes(job.upload))
        progress.step(gettext_noop("Reading the file"))
        result = read_responses(
            path, taxonomy=taxonomy, mapping=mapping, progress=lambda d, t: progress(d, t)
        )
    name = job.upload_name
    if not result.ok:
        problems = [
            # The English text, and what to translate it from for each reader.
            {"row": p.row, "column": p.column, "message": p.message, "text": as_json(p.message)}
            for p in result.problems[:MAX_PROBLEMS_SHOWN]
        ]
        count = len(result.problems)
        raise JobFailed(
            ngettext_lazy(
                "%(file)s: %(count)d problem; nothing was imported.",
                "%(file)s: %(count)d problems; nothing was imported.",
                count,
                file=name,
                count=count,
            ),
            {"problems": problems, "file": name},
        )
    progress.step(gettext_noop("Saving the responses"))
    saved = services.import_result(round, result, taxonomy=taxonomy, progress=progress)
    return {
        **saved.as_dict(),
        "skipped": result.skipped,
        "ignored_columns": result.ignored_columns,
        "source": result.source,
        "file": name,
        "next_url": reverse("scoping-round", args=[round.pk]),
    }
