"""ISO 4217 currencies, with the words the sources use when they write amounts."""

import functools

from django.db import models
from django.utils import translation
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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
