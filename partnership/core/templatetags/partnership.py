from django import template

from partnership.core.currencies import format_amount
from partnership.core.dates import DatePrecision, format_fuzzy_date

register = template.Library()


@register.filter
def fuzzydate(value, precision=DatePrecision.DAY):
    """{{ milestone.date|fuzzydate:milestone.date_precision }} → "November 2019"."""
    return format_fuzzy_date(value, precision)


@register.filter
def money(record):
    """{{ investment|money }} → "3,062 million baht" (any record with amount, currency, amount_unit)."""
    return format_amount(record.amount, record.currency, record.amount_unit)


@register.simple_tag
def amount(value, currency, unit=1_000_000):
    """{% amount total "THB" %} → "67,817 million baht" for totals that are not records."""
    return format_amount(value, currency, unit)
