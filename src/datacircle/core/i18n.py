"""Texts the core writes for people, kept translatable without Django.

The core writes English. A text a person may read (a problem in a file, an error, a step of a
long computation) is an English template with %(name)s placeholders, marked with
`gettext_noop` so Django's makemessages collects it into `core/locale`. Given parameters,
`gettext_noop` returns a `Message`: a `str` holding the English text (what the command line
prints, what `str(error)` gives) that also remembers its template and parameters, so the web
layer can show it in the reader's language with `translate(message, gettext)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


class Message(str):
    """English text filled in from `template` and `params`; translatable afterwards."""

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Message:
        params = dict(params or {})
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text

    def __reduce__(self):  # pickling and copying keep the template
        return (Message, (self.template, dict(self.params)))


def gettext_noop(message: str, /, **params: object) -> Any:
    """Mark `message` for translation without translating it.

    Without parameters, the template itself comes back (a `Message` that fills nothing in);
    with parameters, the English text filled in, which still knows its template."""
    return Message(message, params)


def translate(text: object, gettext: Callable[[str], str]) -> str:
    """`text` in the language `gettext` translates to: a `Message` (or a dict as `as_json`
    writes it) by its template, with parameters that are messages translated too; any other
    text as it is looked up in the catalogue (English, or an old text, stays as written)."""
    if isinstance(text, Mapping) and "message" in text:
        text = Message(str(text["message"]), text.get("params") or {})
    if isinstance(text, Message):
        template = gettext(text.template) if text.template else text.template
        if not text.params:
            return template
        params = {k: _param(v, gettext) for k, v in text.params.items()}
        try:
            return template % params
        except (KeyError, ValueError, TypeError):  # a faulty translation: show the English
            return text.template % params
    return gettext(str(text)) if text else ""


def _param(value: object, gettext: Callable[[str], str]) -> object:
    if isinstance(value, Message) or (isinstance(value, Mapping) and "message" in value):
        return translate(value, gettext)
    return value


def as_json(text: str) -> dict[str, object]:
    """A text stored in a database (JSON): its template and parameters, for `translate`."""
    if isinstance(text, Message):
        return {
            "message": text.template,
            "params": {
                k: as_json(v) if isinstance(v, Message) else v for k, v in text.params.items()
            },
        }
    return {"message": str(text), "params": {}}
