"""Demo help desk: a handful of questions in every state (in English, French and Arabic) and
FAQ entries with translations, written on top of the demo people and their learning profiles.

Questions go through the real workflow (routing, history) without sending email; who answers
depends on the demo network's profiles, so a question whose organisation has no available
leader simply stays open, as it would in real life.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from datacircle.accounts.models import Organisation, Person
from datacircle.core.demo import DemoNetwork
from datacircle.helpdesk import services
from datacircle.helpdesk.models import FaqEntry, Question


@dataclass(frozen=True)
class DemoQuestion:
    organisation: str
    asker: str  # a demo login, "member:<organisation>" for its first member, or "public"
    skill: str
    language: str
    days_ago: int
    title: str
    body: str
    # ("leader" | "asker", text), in order; leader replies need someone assigned.
    replies: tuple[tuple[str, str], ...] = ()
    accept: bool = False  # the asker accepts the last leader reply
    close: str = ""  # a coordinator closes it with this note
    faq: str = ""  # key of the FAQ family this question's answer starts
    public_name: str = ""
    public_email: str = ""


@dataclass(frozen=True)
class DemoFaq:
    key: str
    skill: str
    organisation: str
    # (language, title, body); the first is the original, the others its translations.
    versions: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)


DEMO_QUESTIONS: tuple[DemoQuestion, ...] = (
    DemoQuestion(
        "kenya-rc",
        "member",
        "spreadsheets",
        "en",
        16,
        "How do I remove duplicate beneficiaries from the distribution list?",
        "We merged the registration sheets from three branches for the cash distribution and "
        "some households appear twice. The names are spelled differently sometimes. What is "
        "the safest way to find the duplicates in Excel?",
        replies=(
            (
                "leader",
                "Good question. Do not match on names: spelling changes too often.\n\n"
                "1. Add a helper column that joins the **ID number** and the **phone number**: "
                '`=TRIM(B2)&"|"&TRIM(C2)`.\n'
                "2. Use *Home > Conditional formatting > Highlight duplicate values* on that "
                "column to see them first.\n"
                "3. When you have checked them, use *Data > Remove duplicates* on the helper "
                "column only.\n\n"
                "Keep a copy of the sheet before you remove anything.",
            ),
            ("asker", "Some households have no ID number. What do I do with those?"),
            (
                "leader",
                "For those, join the phone number and the village, then check each pair by "
                "hand with the branch before removing one. Never remove a household only "
                "because the names look alike.",
            ),
        ),
        accept=True,
        faq="duplicates",
    ),
    DemoQuestion(
        "kenya-rc",
        "member",
        "collection",
        "en",
        3,
        "Can two branches use the same Kobo form and keep their data apart?",
        "Nakuru and Kisumu branches will run the same household survey next month. Should we "
        "deploy the form twice or is there a better way?",
        replies=(
            (
                "leader",
                "Deploy it once and add a required *branch* question (select one) at the start. "
                "Then each branch filters the data on that question, and you still get one "
                "dataset for the national report. If a branch must not see the other's data, "
                "deploy two copies instead and share each project only with its branch.",
            ),
        ),
    ),
    DemoQuestion(
        "kenya-rc",
        "public",
        "visualisation",
        "en",
        9,
        "Which chart should I use to show food prices over the year?",
        "I volunteer with the Garissa branch and prepare a one-page update for the committee.",
        public_name="Joseph Mwangi",
        public_email="joseph.mwangi@kenya-rc.example",
    ),
    DemoQuestion(
        "kenya-rc",
        "member",
        "data-protection",
        "en",
        1,
        "May I share the list of people we trained with the county office?",
        "The county health office asked for the names and phone numbers of the community "
        "health volunteers we trained last quarter.",
    ),
    DemoQuestion(
        "kenya-rc",
        "member",
        "spreadsheets",
        "en",
        20,
        "Excel freezes when I open the registration file",
        "Same question as my previous one, sorry.",
        close="Duplicate of an earlier question.",
    ),
    DemoQuestion(
        "senegal-rc",
        "member:senegal-rc",
        "spreadsheets",
        "fr",
        12,
        "Pourquoi mes dates s'affichent-elles comme des nombres dans Excel ?",
        "Après l'import de l'export Kobo, la colonne des dates de visite affiche 45321, "
        "45322… au lieu des dates.",
        replies=(
            (
                "leader",
                "Excel enregistre les dates comme des nombres de jours depuis 1900. "
                "Sélectionnez la colonne, puis *Format de cellule > Date* et choisissez "
                "`jj/mm/aaaa`. Si certaines cellules restent alignées à gauche, ce sont du "
                "texte : utilisez *Données > Convertir*.",
            ),
        ),
        accept=True,
        faq="dates",
    ),
    DemoQuestion(
        "senegal-rc",
        "member:senegal-rc",
        "analysis",
        "fr",
        6,
        "Comment calculer un taux de couverture vaccinale par district ?",
        "Nous avons le nombre d'enfants vaccinés par district et la population estimée.",
    ),
    DemoQuestion(
        "lebanese-rc",
        "volunteer-lb",
        "data-protection",
        "ar",
        5,
        "هل يمكنني حفظ صور بطاقات الهوية على هاتفي الشخصي؟",
        "أثناء التسجيل في المراكز يطلب منا بعض الزملاء تصوير بطاقات الهوية بهواتفنا.",
        replies=(
            (
                "leader",
                "لا. صور بطاقات الهوية بيانات شخصية حساسة. سجّل رقم البطاقة فقط في "
                "نموذج كوبو، ولا تحفظ أي صورة على هاتفك الشخصي.",
            ),
        ),
    ),
    DemoQuestion(
        "lebanese-rc",
        "volunteer-lb",
        "dashboards",
        "ar",
        2,
        "كيف أشارك لوحة Power BI مع فريق الفرع؟",
        "أعددت لوحة لمتابعة توزيع المساعدات وأريد أن يراها فريق فرع طرابلس.",
    ),
)

DEMO_FAQ: tuple[DemoFaq, ...] = (
    DemoFaq(
        "duplicates",
        "spreadsheets",
        "kenya-rc",
        (
            (
                "en",
                "How do I find duplicate households in a beneficiary list?",
                "Do not match on names alone: spelling changes too often.\n\n"
                "1. Add a helper column that joins the ID number and the phone number: "
                '`=TRIM(B2)&"|"&TRIM(C2)`.\n'
                "2. Highlight duplicates with *Home > Conditional formatting > Highlight "
                "duplicate values* and check them.\n"
                "3. Then use *Data > Remove duplicates* on the helper column only.\n\n"
                "For households without an ID number, join the phone number and the village "
                "and check each pair with the branch. Keep a copy of the sheet first.",
            ),
            (
                "fr",
                "Comment trouver les ménages en double dans une liste de bénéficiaires ?",
                "Ne comparez pas seulement les noms : l'orthographe varie trop.\n\n"
                "1. Ajoutez une colonne qui joint le numéro d'identité et le téléphone : "
                '`=SUPPRESPACE(B2)&"|"&SUPPRESPACE(C2)`.\n'
                "2. Repérez les doublons avec *Accueil > Mise en forme conditionnelle > "
                "Valeurs en double* et vérifiez-les.\n"
                "3. Utilisez ensuite *Données > Supprimer les doublons* sur cette colonne "
                "seulement.\n\n"
                "Pour les ménages sans numéro d'identité, joignez le téléphone et le village, "
                "et vérifiez chaque paire avec la branche. Gardez d'abord une copie.",
            ),
            (
                "ar",
                "كيف أجد الأسر المكررة في قائمة المستفيدين؟",
                "لا تعتمد على الأسماء وحدها، فطريقة كتابتها تختلف كثيراً.\n\n"
                "1. أضف عموداً يجمع رقم الهوية ورقم الهاتف.\n"
                "2. ميّز القيم المكررة من *الصفحة الرئيسية > التنسيق الشرطي* وتحقق منها.\n"
                "3. ثم استخدم *بيانات > إزالة التكرارات* على هذا العمود فقط.\n\n"
                "احتفظ بنسخة من الملف قبل أي حذف.",
            ),
        ),
    ),
    DemoFaq(
        "dates",
        "spreadsheets",
        "senegal-rc",
        (
            (
                "fr",
                "Pourquoi mes dates s'affichent-elles comme des nombres dans Excel ?",
                "Excel enregistre les dates comme des nombres de jours depuis 1900. "
                "Sélectionnez la colonne, puis *Format de cellule > Date*. Si certaines "
                "cellules restent alignées à gauche, ce sont du texte : utilisez *Données > "
                "Convertir*.",
            ),
            (
                "en",
                "Why do my dates show as numbers in Excel?",
                "Excel stores dates as a number of days since 1900. Select the column, then "
                "*Format cells > Date*. Cells that stay aligned to the left are text: use "
                "*Data > Text to columns* to turn them into dates.",
            ),
        ),
    ),
    DemoFaq(
        "kobo-sharing",
        "collection",
        "kenya-rc",
        (
            (
                "en",
                "How do I share a KoboToolbox form with a colleague?",
                "Open the project in KoboToolbox, go to *Settings > Sharing* and add your "
                "colleague's username. Give *View form* to people who only collect, and "
                "*View submissions* only to those who analyse the data.",
            ),
            (
                "fr",
                "Comment partager un formulaire KoboToolbox avec un collègue ?",
                "Ouvrez le projet dans KoboToolbox, allez dans *Paramètres > Partage* et "
                "ajoutez le nom d'utilisateur de votre collègue. Donnez *Voir le formulaire* "
                "aux enquêteurs, et *Voir les soumissions* seulement à ceux qui analysent.",
            ),
        ),
    ),
    DemoFaq(
        "personal-data",
        "data-protection",
        "ifrc",
        (
            (
                "en",
                "What counts as personal data in an assessment?",
                "Anything that identifies a person, alone or combined: names, phone numbers, "
                "ID numbers, photos, exact GPS points of a household, and small groups "
                '("the only pregnant woman in the village"). Collect only what you need, '
                "and share reports with counts, not lists.",
            ),
            (
                "ar",
                "ما الذي يُعدّ بيانات شخصية في التقييم؟",
                "كل ما يحدد هوية شخص بمفرده أو مع غيره: الأسماء وأرقام الهواتف وأرقام "
                "الهويات والصور ومواقع المنازل الدقيقة. اجمع ما تحتاجه فقط، وشارك "
                "التقارير بالأعداد لا بالقوائم.",
            ),
            (
                "es",
                "¿Qué se considera dato personal en una evaluación?",
                "Todo lo que identifica a una persona, solo o combinado: nombres, teléfonos, "
                "números de documento, fotos y coordenadas exactas de un hogar. Recoja solo lo "
                "necesario y comparta informes con cifras, no con listas.",
            ),
        ),
    ),
    DemoFaq(
        "charts",
        "visualisation",
        "kenya-rc",
        (
            (
                "en",
                "Which chart shows a change over time?",
                "A line chart, with time on the horizontal axis. Use a bar chart to compare a "
                "few groups at one moment, and avoid pie charts with more than three parts.",
            ),
        ),
    ),
)


def _asker(key: str, organisation: Organisation) -> Person | None:
    if key == "public":
        return None
    if key.startswith("member:"):
        return (
            Person.objects.filter(organisation=organisation, role=Person.Role.MEMBER)
            .order_by("pk")
            .first()
        )
    return Person.objects.filter(user__username=key).first()


def _coordinator(organisation: Organisation) -> Person | None:
    return (
        Person.objects.filter(
            organisation=organisation,
            role__in=[Person.Role.COORDINATOR, Person.Role.NETWORK_ADMIN],
        )
        .order_by("pk")
        .first()
    )


def _play(demo: DemoQuestion, now) -> Question | None:
    organisation = Organisation.objects.filter(slug=demo.organisation).first()
    if organisation is None:
        return None
    asker = _asker(demo.asker, organisation)
    if asker is None and demo.asker != "public":
        return None
    asked_at = now - timedelta(days=demo.days_ago)
    question = services.ask(
        organisation=organisation,
        title=demo.title,
        body=demo.body,
        skill=demo.skill,
        language=demo.language,
        asker=asker,
        asker_name=demo.public_name,
        asker_email=demo.public_email,
        asked_at=asked_at,
        tell=False,
    )
    # Where nobody could take the question, a network admin (who may answer any question)
    # steps in, as the secretariat does for a National Society without data leaders.
    leader = question.assigned_to or Person.objects.filter(user__username="admin").first()
    at = asked_at
    last_answer = None
    for side, text in demo.replies:
        at += timedelta(hours=20)
        if side == "leader":
            if leader is None:
                break  # nobody at all could answer: the question stays open
            last_answer = services.reply(
                question, text, author=leader, by_asker=False, at=at, tell=False
            )
        else:
            services.reply(question, text, author=asker, by_asker=True, at=at, tell=False)
    if demo.accept and last_answer is not None:
        services.accept(question, last_answer, actor=asker, tell=False)
    if demo.close:
        services.close(question, actor=_coordinator(organisation), note=demo.close)
    question.refresh_from_db()
    return question


@transaction.atomic
def load_demo(network: DemoNetwork | None = None) -> dict:
    """Create the demo questions and FAQ entries; returns how many of each.

    Call it after the people and their learning profiles exist. `network` is accepted for a
    uniform demo build; the questions use the stored people (demo logins and organisations).
    """
    now = timezone.now()
    sources: dict[str, Question] = {}
    questions = 0
    for demo in DEMO_QUESTIONS:
        question = _play(demo, now)
        if question is None:
            continue
        questions += 1
        if demo.faq and question.status == Question.Status.RESOLVED:
            sources[demo.faq] = question
    entries = 0
    for family in DEMO_FAQ:
        organisation = Organisation.objects.filter(slug=family.organisation).first()
        if organisation is None:
            continue
        original = None
        for language, title, body in family.versions:
            original_entry = FaqEntry.objects.create(
                organisation=organisation,
                title=title,
                body=body,
                skill=family.skill,
                language=language,
                original=original,
                source=sources.get(family.key),
            )
            original = original or original_entry
            entries += 1
    return {"questions": questions, "faq_entries": entries}
