"""Dates the sources give only to the month or the year, written as each reader expects.

English "13 January 2022", Thai in the Buddhist era with Thai month names "13 มกราคม 2565",
Japanese "2022年1月13日". Django's locale formats cannot add the 543 years of the Buddhist era,
so the words are put together here from the month names Django translates."""

from django.db import models
from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext_lazy as _

# The Buddhist era (พ.ศ.) counts from 543 BCE: 2022 CE is 2565 BE.
BUDDHIST_ERA_OFFSET = 543


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


def _language():
    return (translation.get_language() or "en").split("-")[0]


def local_year(value, language=None):
    """The year as the reader counts it: the Buddhist era in Thai, the common era otherwise."""
    if (language or _language()) == "th":
        return value.year + BUDDHIST_ERA_OFFSET
    return value.year


def format_fuzzy_date(value, precision=DatePrecision.DAY):
    """Write a date no more precisely than the source gave it, in the active language:
    "13 January 2022", "13 มกราคม 2565", "2022年1月13日"; "January 2022", "มกราคม 2565",
    "2022年1月"; "2022", "2565", "2022年"."""
    if value is None:
        return ""
    language = _language()
    precision = precision if precision in DatePrecision.values else DatePrecision.DAY
    year = local_year(value, language)
    if language == "ja":
        return {
            DatePrecision.DAY: f"{year}年{value.month}月{value.day}日",
            DatePrecision.MONTH: f"{year}年{value.month}月",
            DatePrecision.YEAR: f"{year}年",
        }[precision]
    month = format_date(value, "F")
    return {
        DatePrecision.DAY: f"{value.day} {month} {year}",
        DatePrecision.MONTH: f"{month} {year}",
        DatePrecision.YEAR: f"{year}",
    }[precision]


def format_datetime(value):
    """A moment, to the minute: "2 December 2026, 14:05", "2 ธันวาคม 2569, 14:05",
    "2026年12月2日 14:05"."""
    if value is None:
        return ""
    separator = " " if _language() == "ja" else ", "
    return f"{format_fuzzy_date(value)}{separator}{format_date(value, 'H:i')}"


def _short_month(value, language):
    """A month without its year: "Jan", "ม.ค.", "1月"."""
    if language == "ja":
        return f"{value.month}月"
    return format_date(value, "M")


def format_period(start, end=None):
    """A span of months, the year written once when it is the same: "Jan–Sep 2021",
    "ม.ค.–ก.ย. 2564", "2021年1月～9月"; across years "Dec 2020–Mar 2021"."""
    if start is None:
        return ""
    language = _language()

    def month_year(value):
        if language == "ja":
            return f"{local_year(value, language)}年{value.month}月"
        return f"{_short_month(value, language)} {local_year(value, language)}"

    if end is None or (end.year, end.month) == (start.year, start.month):
        return month_year(start)
    dash = "～" if language == "ja" else "–"
    if end.year == start.year:
        if language == "ja":
            return f"{month_year(start)}{dash}{end.month}月"
        return f"{_short_month(start, language)}{dash}{month_year(end)}"
    return f"{month_year(start)}{dash}{month_year(end)}"


MACHINE_FORMATS = {
    DatePrecision.DAY: "Y-m-d",
    DatePrecision.MONTH: "Y-m",
    DatePrecision.YEAR: "Y",
}


def machine_date(value, precision=DatePrecision.DAY):
    """The date as a `<time datetime>` value, no more precise than known: "2004-02" for a
    month, "2007" for a year."""
    if value is None:
        return ""
    return format_date(value, MACHINE_FORMATS.get(precision, MACHINE_FORMATS[DatePrecision.DAY]))
