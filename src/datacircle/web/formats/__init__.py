"""Our formats per language (settings.FORMAT_MODULE_PATH), read before Django's own.

Each `<language>/formats.py` sets what Django's formats lack or get wrong for our readers, and
our own conventions that Django has no name for (read by `datacircle.web.localised`, since
Django's `get_format` only resolves its own names):

- WEEKDAY_DATETIME_FORMAT, SHORT_WEEKDAY_DATETIME_FORMAT: a moment with its weekday, as on a
  session's page and in a list of sessions;
- LIST_SEPARATOR: between the items of a list of words;
- LANGUAGE_NAMES_LOWERCASE: language names are common nouns in running text (“anglais”).
"""
