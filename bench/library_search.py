"""Benchmark library search: 10,000 modules, full-text queries, and the library page around them.

Run by hand from the repository root (results go to docs/benchmarks.md):
    .venv/bin/python bench/library_search.py --modules 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_bench_search \
        .venv/bin/python bench/library_search.py --modules 10000
DATABASE_URL picks the database (default: a SQLite file in a temporary folder, removed at the
end); give PostgreSQL an empty scratch database. The script migrates it, loads the starter
library, adds a small network (organisations, a Kenya coordinator with a login) and --modules
modules generated deterministically from the starter modules: titles, summaries and outcomes
combined from a vocabulary of humanitarian data topics in English, French, Spanish and Arabic,
skills that follow the title, durations with agendas that add up, starter bodies of the same
language with a context paragraph, so the full-text index is as large as a real library's. One
module in three is published (with its frozen version).

It then times, for each query, best and median of --repeat runs:
- `datacircle.library.search.search(Module.objects.visible_to(user), q)`: the search itself;
- GET /library/?q=... with the Django test client, logged in as the coordinator (the whole page:
  middleware, session, filters, search, pagination, template);
- the same page with a skill filter.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Queries a facilitator would type: one word, two words, a prefix still being typed, French,
# Spanish and Arabic words, words in thousands of modules, and one word in none.
QUERIES = [
    "cholera",
    "cleaning",
    "household survey",
    "pivot tables",
    "dashboard",
    "volunteer registration",
    "kobo",
    "data protection consent",
    "heatwave",
    "first aid",
    "visual",  # a prefix: visualising, visualisation
    "carto",  # a prefix: cartographier, cartographie
    "données",
    "enquête ménages",
    "encuesta",
    "البيانات",
    "الفيضانات",
    "data",  # in nearly every module
    "participants",  # in thousands
    "blockchain",  # in none
]
SKILL_FILTER = "cleaning"

# (English, French, Spanish, Arabic)
TOPICS = [
    (
        "cash transfer monitoring",
        "suivi des transferts monétaires",
        "monitoreo de transferencias monetarias",
        "رصد التحويلات النقدية",
    ),
    ("needs assessment", "évaluation des besoins", "evaluación de necesidades", "تقييم الاحتياجات"),
    ("household survey", "enquête auprès des ménages", "encuesta de hogares", "مسح الأسر"),
    (
        "flood early warning",
        "alerte précoce aux inondations",
        "alerta temprana de inundaciones",
        "الإنذار المبكر بالفيضانات",
    ),
    ("cholera response", "riposte au choléra", "respuesta al cólera", "الاستجابة للكوليرا"),
    (
        "volunteer registration",
        "enregistrement des volontaires",
        "registro de voluntarios",
        "تسجيل المتطوعين",
    ),
    (
        "community feedback",
        "retours des communautés",
        "retroalimentación comunitaria",
        "ملاحظات المجتمع",
    ),
    ("shelter distribution", "distribution d'abris", "distribución de refugios", "توزيع المأوى"),
    (
        "food security indicators",
        "indicateurs de sécurité alimentaire",
        "indicadores de seguridad alimentaria",
        "مؤشرات الأمن الغذائي",
    ),
    ("population movement", "mouvements de population", "movimientos de población", "حركة السكان"),
    (
        "health facility reports",
        "rapports des structures de santé",
        "informes de centros de salud",
        "تقارير المرافق الصحية",
    ),
    (
        "water point mapping",
        "cartographie des points d'eau",
        "mapeo de puntos de agua",
        "رسم خرائط نقاط المياه",
    ),
    (
        "blood donation records",
        "registres de dons de sang",
        "registros de donación de sangre",
        "سجلات التبرع بالدم",
    ),
    (
        "first aid training attendance",
        "participation aux formations aux premiers secours",
        "asistencia a cursos de primeros auxilios",
        "حضور تدريبات الإسعافات الأولية",
    ),
    ("drought monitoring", "suivi de la sécheresse", "monitoreo de la sequía", "رصد الجفاف"),
    (
        "restoring family links",
        "rétablissement des liens familiaux",
        "restablecimiento del contacto familiar",
        "إعادة الروابط العائلية",
    ),
    (
        "epidemic surveillance",
        "surveillance épidémiologique",
        "vigilancia epidemiológica",
        "الترصد الوبائي",
    ),
    (
        "relief stock inventory",
        "inventaire des stocks de secours",
        "inventario de suministros de socorro",
        "جرد مخزون الإغاثة",
    ),
    ("migrant assistance", "assistance aux migrants", "asistencia a migrantes", "مساعدة المهاجرين"),
    (
        "heatwave preparedness",
        "préparation aux vagues de chaleur",
        "preparación ante olas de calor",
        "الاستعداد لموجات الحر",
    ),
    (
        "KoboToolbox forms",
        "formulaires KoboToolbox",
        "formularios de KoboToolbox",
        "استمارات KoboToolbox",
    ),
]

# (English, French, Spanish, Arabic, skills the title implies)
ACTIONS = [
    ("Cleaning the data of", "Nettoyer les données de", "Limpiar los datos de", "تنظيف بيانات", ("cleaning", "spreadsheets")),
    ("Mapping", "Cartographier", "Mapear", "رسم خرائط", ("gis", "visualisation")),
    ("Visualising", "Visualiser", "Visualizar", "تصوير بيانات", ("visualisation", "storytelling")),
    ("Designing a form for", "Concevoir un formulaire pour", "Diseñar un formulario para", "تصميم استمارة", ("collection", "data-protection")),
    ("Analysing", "Analyser", "Analizar", "تحليل بيانات", ("analysis", "statistics")),
    ("Protecting personal data in", "Protéger les données personnelles dans", "Proteger los datos personales en", "حماية البيانات الشخصية في", ("data-protection",)),
    ("A dashboard for", "Un tableau de bord pour", "Un tablero para", "لوحة متابعة", ("dashboards", "information-products")),
    ("Telling the story of", "Raconter l'histoire de", "Contar la historia de", "سرد قصة", ("storytelling", "information-products")),
    ("Pivot tables for", "Tableaux croisés dynamiques pour", "Tablas dinámicas para", "الجداول المحورية في", ("spreadsheets", "analysis")),
    ("Sharing open data on", "Partager des données ouvertes sur", "Compartir datos abiertos sobre", "مشاركة البيانات المفتوحة حول", ("open-data", "data-protection")),
    ("Organising the files of", "Organiser les fichiers de", "Organizar los archivos de", "تنظيم ملفات", ("data-management",)),
    ("Keeping records of", "Tenir les registres de", "Llevar los registros de", "حفظ سجلات", ("databases", "data-management")),
    ("Automating", "Automatiser", "Automatizar", "أتمتة", ("programming", "tools")),
    ("Reading the numbers of", "Lire les chiffres de", "Leer las cifras de", "قراءة أرقام", ("data-literacy", "statistics")),
]  # fmt: skip

QUALIFIERS = [
    ("", "", "", ""),
    (" with paper and pens", " avec papier et crayons", " con papel y lápiz", " بالورقة والقلم"),
    (" for branch volunteers", " pour les volontaires des sections", " para voluntarios de filiales", " لمتطوعي الفروع"),
    (" in half an hour", " en une demi-heure", " en media hora", " في نصف ساعة"),
    (" for new staff", " pour le nouveau personnel", " para personal nuevo", " للموظفين الجدد"),
    (": a first look", " : premier aperçu", ": una primera mirada", ": نظرة أولى"),
]  # fmt: skip

PLACES = [
    ("Turkana", "KE"), ("Kisumu", "KE"), ("Mopti", "ML"), ("Saint-Louis", "SN"), ("Tripoli", "LB"),
    ("Bekaa", "LB"), ("Cúcuta", "CO"), ("Chocó", "CO"), ("Cox's Bazar", "BD"), ("Sofala", "MZ"),
    ("Lyon", "FR"), ("Marseille", "FR"), ("Herat", "AF"), ("Port-au-Prince", "HT"),
]  # fmt: skip

SUMMARIES = {
    "en": [
        "A team working on {topic} in {place} {verb} a real table together and agrees on what it "
        "can and cannot say. Participants leave with {deliverable} they can use the next morning.",
        "Starting from a messy export about {topic}, small groups {verb} the data step by step, "
        "compare their choices and write down the rules they will keep. Based on work in {place}.",
        "Why do two reports on {topic} give different numbers? Participants {verb} both, trace the "
        "difference to how the data were collected, and draft {deliverable} for their branch.",
    ],
    "fr": [
        "Une équipe qui travaille sur {topic} à {place} part d'un vrai tableau et se met d'accord "
        "sur ce qu'il dit et ne dit pas. Les participants repartent avec {deliverable}.",
        "À partir d'un export désordonné sur {topic}, les groupes avancent pas à pas, comparent "
        "leurs choix et notent les règles qu'ils garderont. Inspiré du travail mené à {place}.",
    ],
    "es": [
        "Un equipo que trabaja en {topic} en {place} parte de una tabla real y acuerda qué dice y "
        "qué no dice. Los participantes se llevan {deliverable} para usar al día siguiente.",
        "A partir de una exportación desordenada sobre {topic}, los grupos avanzan paso a paso, "
        "comparan sus decisiones y anotan las reglas que mantendrán. Basado en el trabajo en {place}.",
    ],
    "ar": [
        "يبدأ فريق يعمل على {topic} في {place} من جدول حقيقي، ويتفق على ما يقوله الجدول وما لا "
        "يقوله. يغادر المشاركون ومعهم {deliverable} يمكنهم استخدامها في اليوم التالي.",
        "انطلاقًا من ملف مصدَّر غير مرتب حول {topic}، تعمل المجموعات خطوة بخطوة وتقارن خياراتها "
        "وتدوّن القواعد التي ستلتزم بها. مستوحى من العمل في {place}.",
    ],
}
VERBS_EN = ["clean", "check", "summarise", "map", "chart", "question", "sort"]
DELIVERABLES = {
    "en": ["a one-page checklist", "a cleaned table", "a draft chart", "a short briefing note"],
    "fr": ["une liste de contrôle d'une page", "un tableau nettoyé", "une note de synthèse"],
    "es": ["una lista de verificación de una página", "una tabla limpia", "una nota breve"],
    "ar": ["قائمة تحقق من صفحة واحدة", "جدولًا منظّفًا", "مذكرة موجزة"],
}
OUTCOMES = {
    "en": [
        "Participants will be able to list the questions to ask before using data on {topic}.",
        "Participants will be able to find and correct common errors in a table of {topic}.",
        "Participants will be able to explain to a colleague what the numbers on {topic} show "
        "and what they do not show.",
        "Participants will be able to choose a chart that answers one question about {topic}.",
    ],
    "fr": [
        "Les participants seront capables de lister les questions à poser avant d'utiliser les "
        "données sur {topic}.",
        "Les participants seront capables de repérer et corriger les erreurs courantes d'un "
        "tableau de {topic}.",
        "Les participants seront capables d'expliquer ce que montrent les chiffres de {topic}.",
    ],
    "es": [
        "Los participantes serán capaces de enumerar las preguntas que hay que hacer antes de "
        "usar datos de {topic}.",
        "Los participantes serán capaces de encontrar y corregir errores comunes en una tabla de "
        "{topic}.",
        "Los participantes serán capaces de explicar qué muestran las cifras de {topic}.",
    ],
    "ar": [
        "سيتمكن المشاركون من سرد الأسئلة التي يجب طرحها قبل استخدام بيانات {topic}.",
        "سيتمكن المشاركون من اكتشاف الأخطاء الشائعة وتصحيحها في جدول {topic}.",
        "سيتمكن المشاركون من شرح ما تُظهره أرقام {topic} وما لا تُظهره.",
    ],
}
CONTEXT = {
    "en": "## Context\n\nThis version was written for a team working on {topic} in {place}. "
    "Replace the examples with tables from your own operation, and keep every name and phone "
    "number out of the material you hand round.\n\n",
    "fr": "## Contexte\n\nCette version a été écrite pour une équipe qui travaille sur {topic} à "
    "{place}. Remplacez les exemples par des tableaux de votre opération et retirez tout nom ou "
    "numéro de téléphone des documents distribués.\n\n",
    "es": "## Contexto\n\nEsta versión se escribió para un equipo que trabaja en {topic} en "
    "{place}. Sustituya los ejemplos por tablas de su propia operación y no deje ningún nombre "
    "ni número de teléfono en el material que reparte.\n\n",
    "ar": "## السياق\n\nكُتبت هذه النسخة لفريق يعمل على {topic} في {place}. استبدل الأمثلة "
    "بجداول من عملياتك، واحذف كل اسم أو رقم هاتف من المواد التي توزّعها.\n\n",
}
# No starter module is in Spanish: its notes are written here, as long as a starter's.
SPANISH_BODY = """## Antes de la sesión

Prepare una tabla impresa por grupo de cuatro personas, con unas cuarenta filas de datos
inventados sobre {topic}. Incluya a propósito errores frecuentes: fechas escritas de formas
distintas, nombres de comunidades con y sin tilde, cantidades con unidades mezcladas, filas
duplicadas y celdas vacías. Tenga a mano rotuladores de dos colores y hojas grandes de papel.

Escriba en un papelógrafo las tres preguntas de la sesión: ¿de dónde vienen estos datos?,
¿qué podemos afirmar con ellos? y ¿qué no podemos afirmar?

## Apertura

Pida a cada persona que recuerde una cifra que haya visto esta semana en un informe y que diga
si confía en ella y por qué. Anote las razones en dos columnas: confianza y duda.

## Trabajo en grupos

Cada grupo revisa su tabla y marca en un color los errores que puede corregir solo y en otro
los que necesitan una pregunta a quien recogió los datos. Recorra los grupos y pregunte cómo
decidieron; no dé las respuestas. Cuando un grupo termine antes, pídale que escriba una regla
para que el error no vuelva a aparecer en la próxima recogida de datos.

## Puesta en común

Cada grupo presenta un error y la regla que propone. Agrupe las reglas parecidas en el
papelógrafo. Pregunte quién en la filial podría aplicar cada regla y cuándo.

## Cierre

Cada persona escribe en una tarjeta una cosa que hará distinto la próxima vez que reciba una
tabla de {topic}. Recoja las tarjetas: sirven para ver qué se llevó el grupo.

## Adaptar la sesión

Con menos tiempo, prepare la tabla ya con los errores marcados y dedique la sesión a las
reglas. Con participantes que no leen con facilidad, use tarjetas con dibujos en lugar de una
tabla y trabaje en voz alta.
"""
SPANISH_AGENDA = [
    ("discussion", True, "Apertura", "Cada persona dice una cifra que vio esta semana."),
    ("presentation", False, "Tres preguntas", "De dónde vienen los datos y qué permiten decir."),
    ("exercise", True, "Trabajo en grupos", "Los grupos marcan errores y proponen reglas."),
    ("discussion", True, "Puesta en común", "Cada grupo presenta un error y su regla."),
    ("close", True, "Cierre", "Una cosa que haré distinto la próxima vez."),
]
SPANISH_MATERIALS = ["Una tabla impresa por grupo", "Rotuladores de dos colores", "Papelógrafo"]

ORGANISATIONS = [
    ("kenya-rc", "Kenya Red Cross Society", "KRCS", "national_society", "KE"),
    ("croix-rouge-francaise", "Croix-Rouge française", "CRf", "national_society", "FR"),
    ("cruz-roja-colombiana", "Cruz Roja Colombiana", "CRC", "national_society", "CO"),
    ("lebanese-rc", "Lebanese Red Cross", "LRC", "national_society", "LB"),
    ("senegal-rc", "Croix-Rouge sénégalaise", "CRS", "national_society", "SN"),
    ("ifrc-africa", "IFRC Africa Regional Office", "IFRC Africa", "regional_office", "KE"),
    ("sahel-data-partners", "Sahel Data Partners", "SDP", "partner", "SN"),
]
LANGUAGE_MIX = ["en"] * 10 + ["fr"] * 4 + ["es"] * 3 + ["ar"] * 3
ORG_BY_LANGUAGE = {
    "en": ["kenya-rc", "ifrc-africa", "lebanese-rc", "sahel-data-partners", "senegal-rc"],
    "fr": ["croix-rouge-francaise", "senegal-rc", "sahel-data-partners"],
    "es": ["cruz-roja-colombiana"],
    "ar": ["lebanese-rc"],
}
CONTRIBUTORS = ["Amina Wanjiru", "Jean-Baptiste Diallo", "María Fernanda Ríos", "Rana Haddad"]
COORDINATOR_ORGANISATION = "kenya-rc"
LANGUAGE_INDEX = {"en": 0, "fr": 1, "es": 2, "ar": 3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="datacircle-bench-search-"))
    os.environ["DATACIRCLE_HOME"] = str(home)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["DEBUG"] = ""  # DEBUG would log every query and slow the page down
    try:
        run(args)
    finally:
        if args.keep:
            print(f"\nkept {home} (DATACIRCLE_HOME)")
        else:
            shutil.rmtree(home, ignore_errors=True)


def run(args) -> None:
    from datacircle.cli import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from datacircle.library.models import Module
    from datacircle.library.services import load_starter_library

    print(f"# {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest the page needs
    if Module.objects.exists():
        sys.exit("the database already holds modules: give the benchmark an empty one")
    load_starter_library()
    user = network()
    start_insert = time.perf_counter()
    generated = insert_modules(args.modules, args.seed)
    inserted = time.perf_counter() - start_insert
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a big load: statistics, and the GIN pending list
        # merged into the index.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE library_module")
    print(
        f"\ndatabase: {describe_database()}; {Module.objects.count():,} modules "
        f"({generated:,} generated, inserted in {inserted:.1f} s; setup {time.perf_counter() - start:.0f} s)"
    )
    print(index_size())
    measure(user, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of the whole run: {peak:.0f} MiB")


def describe_database() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def network():
    """A few organisations and the Kenya coordinator (with a login), who reads the library."""
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Organisation, Person

    for slug, name, short, kind, country in ORGANISATIONS:
        Organisation.objects.create(
            slug=slug, name=name, short_name=short, kind=kind, country=country
        )
    user = get_user_model().objects.create_user("bench-coordinator", password=None)
    Person.objects.create(
        user=user,
        organisation=Organisation.objects.get(slug=COORDINATOR_ORGANISATION),
        given_name="Bench",
        family_name="Coordinator",
        kind="staff",
        role="coordinator",
        languages=["en", "fr"],
    )
    return user


def starters():
    """The starter modules by language (Spanish has none: it gets its own notes)."""
    from datacircle.core import modules as core
    from datacircle.library.services import STARTER_FOLDER

    by_language: dict[str, list] = {}
    for path in sorted(STARTER_FOLDER.glob("*.md")):
        m = core.parse(path.read_text(encoding="utf-8"), source=str(path))
        by_language.setdefault(m.language, []).append(m)
    return by_language


def scaled_agenda(agenda, duration: int):
    """The base agenda's activities, their minutes scaled to add up to `duration`."""
    total = sum(a.minutes for a in agenda)
    minutes = [max(1, round(a.minutes * duration / total)) for a in agenda]
    minutes[-1] += duration - sum(minutes)
    while minutes[-1] < 1:  # rounding up took too much: take it back from the longest
        longest = max(range(len(minutes) - 1), key=minutes.__getitem__)
        minutes[longest] -= 1
        minutes[-1] += 1
    return tuple(replace(a, minutes=n) for a, n in zip(agenda, minutes, strict=True))


def generate(count: int, seed: int):
    """`count` (core module, organisation slug or None) pairs, the same for the same seed."""
    from datacircle.core import modules as core
    from datacircle.library.models import STARTER

    rng = random.Random(seed)
    base = starters()
    spanish_agenda = tuple(
        core.Activity(minutes=m, kind=k, participatory=p, title=t, description=d)
        for m, (k, p, t, d) in zip((5, 10, 25, 10, 10), SPANISH_AGENDA, strict=True)
    )
    codes = ("data-literacy", "collection", "cleaning", "spreadsheets", "analysis")
    for i in range(count):
        language = rng.choice(LANGUAGE_MIX)
        at = LANGUAGE_INDEX[language]
        topic = rng.choice(TOPICS)
        action = rng.choice(ACTIONS)
        qualifier = rng.choice(QUALIFIERS)
        place, _country = rng.choice(PLACES)
        title = f"{action[at]} {topic[at]}{qualifier[at]}"
        english_title = f"{action[0]} {topic[0]}{qualifier[0]}"
        slug = "-".join("".join(c if c.isalnum() else " " for c in english_title).split())
        slug = f"{slug.lower()[:70].rstrip('-')}-{i:05d}"
        skills = list(dict.fromkeys([*action[4], *rng.sample(codes, rng.randint(0, 2))]))[:6]
        deliverable = rng.choice(DELIVERABLES[language])
        summary = rng.choice(SUMMARIES[language]).format(
            topic=topic[at], place=place, verb=rng.choice(VERBS_EN), deliverable=deliverable
        )
        outcomes = tuple(
            o.format(topic=topic[at])
            for o in rng.sample(OUTCOMES[language], rng.randint(2, len(OUTCOMES[language])))
        )
        duration = rng.choice((15, 30, 30, 45, 45, 60, 60, 60))
        context = CONTEXT[language].format(topic=topic[at], place=place)
        if language == "es":
            agenda, materials = spanish_agenda, tuple(SPANISH_MATERIALS)
            body = context + SPANISH_BODY.format(topic=topic[at])
        else:
            model = rng.choice(base[language])
            agenda, materials = model.agenda, model.materials
            body = context + model.body
        # Starter modules (1 in 20) belong to no organisation; the others to one that writes
        # in the module's language.
        organisation = None if i % 20 == 0 else rng.choice(ORG_BY_LANGUAGE[language])
        published = i % 3 == 0
        status = "published" if published else rng.choice(("draft", "draft", "review"))
        m = core.Module(
            id=slug,
            organisation=organisation or STARTER,
            title=title,
            summary=summary,
            language=language,
            skills=tuple(skills),
            level=rng.randint(0, 3),
            duration=duration,
            unplugged=rng.random() < 0.7,
            outcomes=outcomes,
            agenda=scaled_agenda(agenda, duration),
            materials=materials,
            contributors=tuple(rng.sample(CONTRIBUTORS, rng.randint(1, 2))),
            status=status,
            version=1 if published else 0,
            body=body,
        )
        yield m, organisation


def insert_modules(count: int, seed: int, batch: int = 1000) -> int:
    """Write the generated modules as the importer would (same columns and search text), in
    batches; the FTS5 triggers (SQLite) and the GIN index (PostgreSQL) index them as they go."""
    from django.db import transaction

    from datacircle.accounts.models import Organisation
    from datacircle.core import modules as core
    from datacircle.library.models import Module, ModuleVersion
    from datacircle.library.services import search_text

    organisations = {o.slug: o for o in Organisation.objects.all()}
    rows: list[tuple[Module, bool]] = []
    checked = 0

    def flush() -> None:
        with transaction.atomic():
            created = Module.objects.bulk_create([module for module, _ in rows])
            ModuleVersion.objects.bulk_create(
                ModuleVersion(module=module, number=1, source=module.source)
                for module, published in zip(created, (p for _, p in rows), strict=True)
                if published
            )
        rows.clear()

    for m, organisation in generate(count, seed):
        text = core.dump(m)
        if checked < 50:  # the generator writes valid module files: make sure of it
            core.parse(text, skill_codes=None)
            checked += 1
        module = Module(
            organisation=organisations[organisation] if organisation else None,
            slug=m.id,
            language=m.language,
            title=m.title,
            summary=m.summary,
            skills=list(m.skills),
            level=m.level,
            duration=m.duration,
            unplugged=m.unplugged,
            status=m.status,
            source=text,
            search_text=search_text(m),
        )
        rows.append((module, m.status == "published"))
        if len(rows) >= batch:
            flush()
    if rows:
        flush()
    return count


def index_size() -> str:
    from django.db import connection

    from datacircle.library.models import Module

    mib = 2**20
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_relation_size('library_module_search_vector'), "
                "pg_total_relation_size('library_module'), pg_database_size(current_database())"
            )
            index, table, database = cursor.fetchone()
            what = "GIN index library_module_search_vector"
        else:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'library_module_fts%'")
            index = cursor.fetchone()[0]
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'library_module%'")
            table = cursor.fetchone()[0] - index
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            database = pages * cursor.fetchone()[0]
            what = "FTS5 tables library_module_fts*"
    text_size = sum(len(t.encode()) for t in Module.objects.values_list("search_text", flat=True))
    return (
        f"index: {what} {index / mib:.1f} MiB; module table {table / mib:.1f} MiB; "
        f"search_text {text_size / mib:.1f} MiB; database {database / mib:.1f} MiB"
    )


def timed(repeat: int, call) -> tuple[float, float, object]:
    """(best, median) seconds of `repeat` calls, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def measure(user, repeat: int) -> None:
    from django.test import Client

    from datacircle.library.models import Module
    from datacircle.library.search import search

    client = Client()
    client.force_login(user)

    def page(params: dict):
        response = client.get("/library/", params)
        assert response.status_code == 200, response.status_code
        return response

    page({})  # first request: templates, translations and the taxonomy load once per process
    print(
        "\nmilliseconds, best / median of "
        f"{repeat}; page = GET /library/ as the coordinator (Django test client)"
    )
    print(
        "| query | matches: visible (all) | search() | page | page, skill filter "
        "| search share of page |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    rows = []
    for q in QUERIES:
        s_best, s_median, ids = timed(
            repeat, lambda q=q: search(Module.objects.visible_to(user), q)
        )
        p_best, p_median, _ = timed(repeat, lambda q=q: page({"q": q}))
        f_best, f_median, _ = timed(repeat, lambda q=q: page({"q": q, "skill": SKILL_FILTER}))
        everywhere = len(search(Module.objects.all(), q))
        rows.append((q, len(ids), s_best, s_median, p_best, p_median, f_best, f_median))
        print(
            f"| `{q}` | {len(ids):,} ({everywhere:,}) | {ms(s_best)} / {ms(s_median)} | {ms(p_best)} / "
            f"{ms(p_median)} | {ms(f_best)} / {ms(f_median)} | {s_median / p_median:.0%} |"
        )
    b_best, b_median, _ = timed(repeat, lambda: page({}))
    print(f"| (no query: first page of the library) | | | {ms(b_best)} / {ms(b_median)} | | |")

    print(f"\nover the {len(QUERIES)} queries (medians of each query's runs):")
    print("| measure | p50 | max | worst query | target |")
    print("|---|---:|---:|---|---|")
    for label, column in (("search()", 3), ("page", 5), ("page, skill filter", 7)):
        values = [row[column] for row in rows]
        worst = max(rows, key=lambda row, c=column: row[c])
        print(
            f"| {label} | {ms(statistics.median(values))} | {ms(max(values))} | "
            f"`{worst[0]}` ({worst[1]:,} matches) | ≤ 100 ms |"
        )
    share = sum(row[3] for row in rows) / sum(row[5] for row in rows)
    print(f"\nsearch() is {share:.0%} of the page time, summed over the queries")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


if __name__ == "__main__":
    main()
