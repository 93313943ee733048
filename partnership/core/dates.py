"""Dates the sources give only to the month or the year."""

from django.db import models
from django.utils.dateformat import format as format_date


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"


FORMATS = {
    DatePrecision.DAY: "j F Y",
    DatePrecision.MONTH: "F Y",
    DatePrecision.YEAR: "Y",
}


def format_fuzzy_date(value, precision=DatePrecision.DAY):
    """Write a date no more precisely than the source gave it."""
    if value is None:
        return ""
    return format_date(value, FORMATS.get(precision, FORMATS[DatePrecision.DAY]))
