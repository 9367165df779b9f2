# Django's Arabic formats, corrected for our readers, plus ours (see datacircle.web.formats).
#
# Django has no Arabic DATETIME_FORMAT or SHORT_DATETIME_FORMAT, so it falls back to the
# American "N j, Y, P" and "m/d/Y P"; these follow its Arabic DATE_FORMAT ("j F، Y") and
# SHORT_DATE_FORMAT instead, with a 24-hour clock as in the other languages. Figures are
# Western digits, written with a decimal point and grouped by thousands with a comma, as
# Arabic readers do with those digits (Django's "," for decimals is the Maghreb convention).
DATETIME_FORMAT = "j F، Y، H:i"  # 5 ديسمبر، 2026، 14:30
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

WEEKDAY_DATETIME_FORMAT = "l j F Y، H:i"  # السبت 5 ديسمبر 2026، 14:30
# Arabic has no usual short names of weekdays and months: the short form is the long one.
SHORT_WEEKDAY_DATETIME_FORMAT = WEEKDAY_DATETIME_FORMAT
PERCENT_FORMAT = "%s%%"  # 12%
GROUP_SEPARATOR = "؛ "
LIST_SEPARATOR = "، "
LANGUAGE_NAMES_LOWERCASE = False
