# Django's English formats, plus ours (see datacircle.web.formats).
WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"  # Saturday 5 December 2026, 14:30
SHORT_WEEKDAY_DATETIME_FORMAT = "D j M Y, H:i"  # Sat 5 Dec 2026, 14:30
LIST_SEPARATOR = ", "
LANGUAGE_NAMES_LOWERCASE = False
