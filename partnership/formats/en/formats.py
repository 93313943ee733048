"""English dates as the sources and the site write them, "2 Dec 2026", in the admin and
wherever a date is shown without a format of its own. Input stays YYYY-MM-DD (Django's)."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
