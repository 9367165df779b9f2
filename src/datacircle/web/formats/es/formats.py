# Django's Spanish formats, plus ours (see datacircle.web.formats).
WEEKDAY_DATETIME_FORMAT = r"l, j \d\e F \d\e Y, H:i"  # sábado, 5 de diciembre de 2026, 14:30
SHORT_WEEKDAY_DATETIME_FORMAT = "D j b Y, H:i"  # sáb 5 dic 2026, 14:30
PERCENT_FORMAT = "%s\u00a0%%"  # 12 % (no-break space)
GROUP_SEPARATOR = "; "
LIST_SEPARATOR = ", "
LANGUAGE_NAMES_LOWERCASE = True
