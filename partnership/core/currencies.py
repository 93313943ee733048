"""ISO 4217 currencies, with the words the sources use when they write amounts."""

import functools

from django.db import models
from django.db.models import F, Func, Value
from django.utils import translation
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from partnership.core.sql_cells import FORMULA_PREFIXES, Words, compile_template

# Each currency once: its ISO 4217 code, its name, and how amounts in it are written in
# running text, in the page's language ("3,062 million baht", "3,062 ล้านบาท", "3,062百万バーツ").
CURRENCIES = [
    ("THB", _("Thai baht"), pgettext_lazy("running text", "baht")),
    ("JPY", _("Japanese yen"), pgettext_lazy("running text", "yen")),
    ("USD", _("US dollar"), pgettext_lazy("running text", "US dollars")),
    ("EUR", _("Euro"), pgettext_lazy("running text", "euros")),
    ("CNY", _("Chinese yuan"), pgettext_lazy("running text", "yuan")),
    ("KRW", _("South Korean won"), pgettext_lazy("running text", "won")),
    ("SGD", _("Singapore dollar"), pgettext_lazy("running text", "Singapore dollars")),
    ("VND", _("Vietnamese dong"), pgettext_lazy("running text", "dong")),
    ("IDR", _("Indonesian rupiah"), pgettext_lazy("running text", "rupiah")),
    ("MYR", _("Malaysian ringgit"), pgettext_lazy("running text", "ringgit")),
    ("PHP", _("Philippine peso"), pgettext_lazy("running text", "pesos")),
    ("INR", _("Indian rupee"), pgettext_lazy("running text", "rupees")),
    ("GBP", _("Pound sterling"), pgettext_lazy("running text", "pounds")),
    ("TWD", _("New Taiwan dollar"), pgettext_lazy("running text", "New Taiwan dollars")),
    ("HKD", _("Hong Kong dollar"), pgettext_lazy("running text", "Hong Kong dollars")),
    ("AUD", _("Australian dollar"), pgettext_lazy("running text", "Australian dollars")),
]

Currency = models.TextChoices("Currency", [(code, (code, name)) for code, name, _ in CURRENCIES])
CURRENCY_WORDS = {code: running for code, _, running in CURRENCIES}


class AmountUnit(models.IntegerChoices):
    """The scale a source wrote an amount in, so the site can write it the same way."""

    # The labels stay English: spreadsheets name the scale with these words.
    ONE = 1, "as written"
    THOUSAND = 1_000, "thousand"
    MILLION = 1_000_000, "million"
    BILLION = 1_000_000_000, "billion"


# The scale and the currency in the page's language's words: "million baht", "ล้านบาท",
# "百万バーツ" (a chart's axis, an amount's words).
SCALES = {
    AmountUnit.ONE: pgettext_lazy("scale", "%(currency)s"),
    AmountUnit.THOUSAND: pgettext_lazy("scale", "thousand %(currency)s"),
    AmountUnit.MILLION: pgettext_lazy("scale", "million %(currency)s"),
    AmountUnit.BILLION: pgettext_lazy("scale", "billion %(currency)s"),
}


def scale_words(unit, currency):
    """ "million baht", "ล้านบาท", "百万バーツ"."""
    return SCALES[AmountUnit(unit)] % {"currency": CURRENCY_WORDS.get(currency, currency)}


# Japanese counts large amounts in 億 (hundred million): "700億バーツ" for 70 billion baht.
OKU = 100_000_000


def _number(scaled):
    if scaled == scaled.to_integral_value():
        return f"{scaled:,.0f}"
    return f"{scaled:,.2f}".rstrip("0").rstrip(".")


def format_amount(amount, currency, unit=AmountUnit.MILLION, approximate=False):
    """Write an amount the way the sources do, in the page's language: "3,062 million baht",
    "30 million baht", and "around 70 billion baht" for an amount the source gave as
    approximate ("ประมาณ 70 พันล้านบาท", "約700億バーツ").

    The amount is stored in full; `unit` is the scale the source wrote it in. Digits are
    grouped by thousands with commas, as Thai and Japanese write them too.
    """
    if amount is None:
        return ""
    divisor, pattern = _amount_pattern(
        translation.get_language(), AmountUnit(unit), currency, bool(approximate)
    )
    return pattern % {"number": _number(amount / divisor)}


@functools.cache
def _amount_pattern(language, unit, currency, approximate):
    """What an amount is divided by, and its words in `language` with "%(number)s" for the
    number: worked out once, not for each of a download's million rows."""
    with translation.override(language):
        if unit is AmountUnit.BILLION and language == "ja":
            currency_words = CURRENCY_WORDS.get(currency, currency)
            divisor = OKU
            words = gettext("hundred million %(currency)s") % {"currency": currency_words}
        else:
            divisor, words = unit.value, scale_words(unit, currency)
        number = "%(number)s"
        text = pgettext("amount", "%(number)s %(scale)s") % {
            "number": number,
            "scale": words.replace("%", "%%"),
        }
        if approximate:
            text = gettext("around %(amount)s") % {"amount": text}
        return divisor, text


# format_amount's number in SQL, for `AmountAsReported`, from {0} the amount and {2} the
# scale it is divided by: the scaled amount in hundredths ({h}), rounded half to even as
# Python formats a Decimal, grouped by thousands, with no trailing zeros. SQLite counts in
# whole hundredths of the amount ({c}); PostgreSQL divides the decimals exactly ({s}).
_HUNDREDTHS = {
    "sqlite": (
        "((2 * {c} + {2}) / (2 * {2}) - ((2 * {c} + {2}) %% (2 * {2}) = 0 "
        "AND (2 * {c} + {2}) / (2 * {2}) %% 2 = 1))"
    ).replace("{c}", "CAST(round({0} * 100) AS INTEGER)"),
    "postgresql": (
        "(round({s}) - CASE WHEN round({s}) - {s} = 0.5 AND mod(round({s}), 2) = 1 "
        "THEN 1 ELSE 0 END)"
    ).replace("{s}", "({0} * 100 / {2})"),
}
_NUMBER = {
    "sqlite": "printf('%%,d', {h} / 100) || rtrim(rtrim(printf('.%%02d', {h} %% 100), '0'), '.')",
    "postgresql": "rtrim(to_char({h} / 100.0, 'FM999,999,999,999,999,999,990.99'), '.')",
}
# The number has a thousands comma once the scaled amount rounds to 1,000: from 999.995 on
# (999.995 rounds up to the even 1,000.00).
_THOUSANDS = "{0} * 200 >= 199999.0 * {2}"


class AmountAsReported(Func):
    """`format_amount(amount, currency, amount_unit, amount_approximate)` as a download's
    cell (`fmt` "csv" or "json", see core.sql_cells), written by the database in the active
    language.

    The words before and after the number ("around ", " million baht") are `format_amount`'s
    own, looked up by the fields they depend on. A CSV cell is quoted when the number has a
    thousands comma, or its words a comma; a JSON value always is."""

    output_field = models.TextField()

    def __init__(self, fmt="csv"):
        super().__init__(F("amount"), F("currency"), F("amount_unit"), F("amount_approximate"))
        self.fmt = fmt

    def as_sql(self, compiler, connection, **extra_context):
        words = _words_around_amounts(translation.get_language())
        number = _NUMBER[connection.vendor].replace("{h}", _HUNDREDTHS[connection.vendor])
        expressions = [
            *self.get_source_expressions(),
            self._lookup({key: before for key, (before, _) in words.items()}),
            self._lookup({key: after for key, (_, after) in words.items()}),
        ]
        if self.fmt == "json":
            none, quote = "'\"\"'", "'\"'"
        else:
            quoted = _THOUSANDS
            commas = {key: "," in before + after for key, (before, after) in words.items()}
            if any(commas.values()):
                lookup = self._lookup({key: "1" if c else "" for key, c in commas.items()})
                expressions.append(lookup)
                quoted += " OR {6} = '1'"
            none, quote = "''", f"CASE WHEN {quoted} THEN '\"' ELSE '' END"
        template = (
            f"CASE WHEN {{0}} IS NULL THEN {none} "
            f"ELSE {quote} || {{4}} || {number} || {{5}} || {quote} END"
        )
        return compile_template(template, compiler, expressions)

    def _lookup(self, texts):
        """The text `texts` gives for a row's (currency, scale, approximate), looked up by
        the fields on which it depends, one after the other."""
        fields = self.get_source_expressions()[1:]

        def lookup(texts, parts):
            if not parts:
                return Value(next(iter(texts.values())))
            grouped = {}
            for key, text in texts.items():
                grouped.setdefault(key[parts[0]], {})[key] = text
            found = {value: lookup(group, parts[1:]) for value, group in grouped.items()}
            return Words(fields[parts[0]], found, default=Value(""))

        return lookup(texts, [n for n in range(3) if _depends_on(texts, n)])


def _depends_on(texts, n):
    """Whether the texts of {key: text} change with the key's n-th part alone."""
    seen = {}
    return any(seen.setdefault(key[:n] + key[n + 1 :], text) != text for key, text in texts.items())


@functools.cache
def _words_around_amounts(language):
    """{(currency, scale, approximate): (words before the number, words after)}, as
    `format_amount` writes them in `language`, for `AmountAsReported`: plain words, which
    need no quoting or escaping of their own in CSV or JSON and cannot start a formula."""
    words = {}
    for currency in Currency.values:
        for unit in AmountUnit:
            for approximate in (False, True):
                divisor, pattern = _amount_pattern(language, unit, currency, approximate)
                before, after = (part.replace("%%", "%") for part in pattern.split("%(number)s"))
                plain = not any(c in '"\\' or c < " " for c in before + after)
                if divisor != unit.value or not plain or before.startswith(FORMULA_PREFIXES):
                    raise ValueError(f"Amounts in {language} cannot be written by the database.")
                words[(currency, int(unit), approximate)] = before, after
    return words
