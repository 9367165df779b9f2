# English as the product writes it (British: “5 December 2026”, a 24-hour clock), instead of
# Django's American defaults (“Dec. 5, 2026, 2:30 p.m.”), plus ours (see
# datacircle.web.formats). Only what is shown changes: input formats stay Django's.
DATE_FORMAT = "j F Y"  # 5 December 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"  # Saturday 5 December 2026, 14:30
SHORT_WEEKDAY_DATETIME_FORMAT = "D j M Y, H:i"  # Sat 5 Dec 2026, 14:30
PERCENT_FORMAT = "%s%%"  # 12%
GROUP_SEPARATOR = "; "
LIST_SEPARATOR = ", "
LANGUAGE_NAMES_LOWERCASE = False
