# Django's French formats, plus ours (see datacircle.web.formats).
WEEKDAY_DATETIME_FORMAT = "l j F Y à H:i"  # samedi 5 décembre 2026 à 14:30
SHORT_WEEKDAY_DATETIME_FORMAT = "D j b Y, H:i"  # sam 5 déc 2026, 14:30
PERCENT_FORMAT = "%s\u202f%%"  # 12 % (narrow no-break space)
GROUP_SEPARATOR = "\u202f; "  # texte ; texte (narrow no-break space before)
LIST_SEPARATOR = ", "
LANGUAGE_NAMES_LOWERCASE = True
