"""Texts the core writes for people, kept translatable without Django.

The core writes English. A text a person may read (a problem in a file, an error, a step of a
long computation) is an English template with %(name)s placeholders, marked with
`gettext_noop` so Django's makemessages collects it into `core/locale`. Given parameters,
`gettext_noop` returns a `Message`: a `str` holding the English text (what the command line
prints, what `str(error)` gives) that also remembers its template and parameters, so the web
layer can show it in the reader's language with `translate(message, gettext)`.

A text whose words depend on a number ("1 module", "3 modules", and the six forms Arabic
has) is marked with `ngettext_lazy(singular, plural, number, **params)`: the English text
chooses by the number now, and `translate(message, gettext, ngettext)` chooses the reader's
form later. It is named after Django's `ngettext_lazy` because makemessages passes that name
to xgettext (with both texts, `ngettext_lazy:1,2`); like it, the choice waits until display.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# Where `as_json` keeps a plural's other text and number among the parameters, so that every
# place storing {"message", "params"} (job steps, failures, import problems) keeps plurals too.
PLURAL = "_plural"


class Message(str):
    """English text filled in from `template` and `params`; translatable afterwards.

    A plural message also has `plural` (the English plural template) and `number` (what
    chooses between them); `template` is the singular."""

    template: str
    params: Mapping[str, object]
    plural: str | None
    number: int | None

    def __new__(
        cls,
        template: str,
        params: Mapping[str, object] | None = None,
        plural: str | None = None,
        number: int | None = None,
    ) -> Message:
        params = dict(params or {})
        english = template if plural is None or number == 1 else plural
        text = super().__new__(cls, english % params if params else english)
        text.template = template
        text.params = params
        text.plural = plural
        text.number = number
        return text

    def __reduce__(self):  # pickling and copying keep the template
        return (Message, (self.template, dict(self.params), self.plural, self.number))


def gettext_noop(message: str, /, **params: object) -> Any:
    """Mark `message` for translation without translating it.

    Without parameters, the template itself comes back (a `Message` that fills nothing in);
    with parameters, the English text filled in, which still knows its template."""
    return Message(message, params)


def ngettext_lazy(singular: str, plural: str, number: int, /, **params: object) -> Any:
    """Mark a text with a singular and a plural for translation, chosen by `number`.

    Give the number among `params` too when the text shows it:
    `ngettext_lazy("%(n)d module", "%(n)d modules", n, n=n)`. Returns the English text
    (singular when `number` is 1), which still knows both templates and the number."""
    return Message(singular, params, plural, number)


Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def translate(text: object, gettext: Gettext, ngettext: Ngettext | None = None) -> str:
    """`text` in the language `gettext` translates to: a `Message` (or a dict as `as_json`
    writes it) by its template, with parameters that are messages translated too; any other
    text as it is looked up in the catalogue (English, or an old text, stays as written).
    A plural message is chosen by `ngettext`; without one, by the English rule."""
    if isinstance(text, Mapping) and "message" in text:
        text = _from_json(text)
    if isinstance(text, Message):
        english = text.template
        if text.plural is not None:
            number = text.number if isinstance(text.number, int) else 0
            english = text.template if number == 1 else text.plural
            chosen = ngettext(text.template, text.plural, number) if ngettext else english
        else:
            chosen = gettext(text.template) if text.template else text.template
        if not text.params:
            return chosen
        params = {k: _param(v, gettext, ngettext) for k, v in text.params.items()}
        try:
            return chosen % params
        except (KeyError, ValueError, TypeError):  # a faulty translation: show the English
            return english % params
    return gettext(str(text)) if text else ""


def _from_json(stored: Mapping) -> Message:
    params = dict(stored.get("params") or {})
    plural = params.pop(PLURAL, None)
    if isinstance(plural, Mapping):
        return Message(
            str(stored["message"]), params, str(plural.get("text")), plural.get("number")
        )
    return Message(str(stored["message"]), params)


def _param(value: object, gettext: Gettext, ngettext: Ngettext | None) -> object:
    if isinstance(value, Message) or (isinstance(value, Mapping) and "message" in value):
        return translate(value, gettext, ngettext)
    return value


def as_json(text: str) -> dict[str, object]:
    """A text stored in a database (JSON): its template and parameters, for `translate`.
    A plural message keeps its plural template and number among the parameters (`PLURAL`)."""
    if isinstance(text, Message):
        params: dict[str, object] = {
            k: as_json(v) if isinstance(v, Message) else v for k, v in text.params.items()
        }
        if text.plural is not None:
            params[PLURAL] = {"text": text.plural, "number": text.number}
        return {"message": text.template, "params": params}
    return {"message": str(text), "params": {}}
