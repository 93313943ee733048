"""The database checks every app states the same way, each with its name and the message an
editor reads when a save breaks it.

`choice_valid("kind", AgreementKind, name, message)` is the named `CheckConstraint`
`Q(kind__in=AgreementKind.values)`; the others likewise build the one condition their name
says, so a model's `Meta.constraints` reads as the list of its invariants.
"""

from functools import reduce
from operator import and_

from django.db import models
from django.db.models import F, Q

from partnership.core.dates import DatePrecision

PRECISION_MESSAGE = "Choose day, month or year for how well the date is known."


def _check(condition, name, message):
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def choice_valid(field, choices, name, message):
    """The field holds one of the values of `choices` (a TextChoices or IntegerChoices)."""
    return _check(Q(**{f"{field}__in": choices.values}), name, message)


def precision_valid(*fields, name):
    """Each of `fields` says how well its date is known: to the day, the month or the year."""
    condition = reduce(and_, (Q(**{f"{field}__in": DatePrecision.values}) for field in fields))
    return _check(condition, name, PRECISION_MESSAGE)


def dates_in_order(start, end, name, message):
    """`end` is on or after `start` whenever both dates are known."""
    unknown = Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": True})
    return _check(unknown | Q(**{f"{end}__gte": F(start)}), name, message)


def web_address(field, name, message):
    """The field is empty or a web address (http:// or https://)."""
    condition = (
        Q(**{field: ""})
        | Q(**{f"{field}__startswith": "https://"})
        | Q(**{f"{field}__startswith": "http://"})
    )
    return _check(condition, name, message)


def not_negative(field, name, message):
    """The number is 0 or more whenever it is given."""
    return _check(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}), name, message)


def not_itself(*fields, name, message):
    """None of `fields`, links to a record of the same model, points at the row itself."""
    return _check(reduce(and_, (~Q(**{field: F("pk")}) for field in fields)), name, message)
