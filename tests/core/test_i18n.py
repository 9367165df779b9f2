"""Core messages: English now, the reader's language later, plurals by the reader's rules."""

from __future__ import annotations

import copy
import gettext as gnu
import pickle

from datacircle.core.i18n import Message, as_json, gettext_noop, ngettext_lazy, translate

# Arabic has six forms: 0, 1, 2, 3-10, 11-99, 100-102...
ARABIC = "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"


class _Catalogue:
    """A tiny stand-in for a compiled catalogue: Arabic plural forms for one text."""

    forms = ("لا وحدات", "وحدة واحدة", "وحدتان", "%(n)d وحدات", "%(n)d وحدة", "%(n)d وحدة")

    def gettext(self, text: str) -> str:
        return {"Saving": "جارٍ الحفظ"}.get(text, text)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if singular != "%(n)d module":
            return singular if n == 1 else plural
        return self.forms[gnu.c2py(ARABIC)(n)]


def test_a_plural_message_is_english_by_the_number_until_it_is_translated():
    one = ngettext_lazy("%(n)d module", "%(n)d modules", 1, n=1)
    two = ngettext_lazy("%(n)d module", "%(n)d modules", 2, n=2)
    assert (one, two) == ("1 module", "2 modules")
    assert isinstance(two, Message) and two.plural == "%(n)d modules" and two.number == 2


def test_a_plural_message_takes_the_reader_s_form_for_each_number():
    arabic = _Catalogue()
    shown = {
        n: translate(
            ngettext_lazy("%(n)d module", "%(n)d modules", n, n=n), arabic.gettext, arabic.ngettext
        )
        for n in (0, 1, 2, 3, 11, 100)
    }
    assert shown == {
        0: "لا وحدات",
        1: "وحدة واحدة",
        2: "وحدتان",
        3: "3 وحدات",
        11: "11 وحدة",
        100: "100 وحدة",
    }


def test_a_stored_plural_keeps_its_forms_and_number():
    arabic = _Catalogue()
    stored = as_json(ngettext_lazy("%(n)d module", "%(n)d modules", 11, n=11))
    assert stored["message"] == "%(n)d module" and stored["params"]["n"] == 11
    assert translate(stored, arabic.gettext, arabic.ngettext) == "11 وحدة"
    # Without a plural function (the command line), the English rule chooses.
    assert translate(stored, arabic.gettext) == "11 modules"


def test_a_plural_inside_a_message_is_translated_too():
    arabic = _Catalogue()
    inner = ngettext_lazy("%(n)d module", "%(n)d modules", 2, n=2)
    outer = gettext_noop("%(what)s fetched", what=inner)
    assert outer == "2 modules fetched"
    assert translate(as_json(outer), arabic.gettext, arabic.ngettext) == "وحدتان fetched"


def test_a_plural_message_survives_copying_and_pickling():
    message = ngettext_lazy("%(n)d module", "%(n)d modules", 3, n=3)
    for copied in (copy.deepcopy(message), pickle.loads(pickle.dumps(message))):  # noqa: S301 (our own bytes)
        assert copied == "3 modules" and copied.plural == "%(n)d modules" and copied.number == 3


def test_a_faulty_plural_translation_falls_back_to_english():
    message = ngettext_lazy("%(n)d module", "%(n)d modules", 5, n=5)
    assert translate(message, str, lambda s, p, n: "%(count)d وحدات") == "5 modules"
    assert translate(gettext_noop("Saving"), _Catalogue().gettext) == "جارٍ الحفظ"
