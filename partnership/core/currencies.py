"""ISO 4217 currencies, with the words the sources use when they write amounts."""

from django.db import models


class Currency(models.TextChoices):
    THB = "THB", "Thai baht"
    JPY = "JPY", "Japanese yen"
    USD = "USD", "US dollar"
    EUR = "EUR", "Euro"
    CNY = "CNY", "Chinese yuan"
    KRW = "KRW", "South Korean won"
    SGD = "SGD", "Singapore dollar"
    VND = "VND", "Vietnamese dong"
    IDR = "IDR", "Indonesian rupiah"
    MYR = "MYR", "Malaysian ringgit"
    PHP = "PHP", "Philippine peso"
    INR = "INR", "Indian rupee"
    GBP = "GBP", "Pound sterling"
    TWD = "TWD", "New Taiwan dollar"
    HKD = "HKD", "Hong Kong dollar"
    AUD = "AUD", "Australian dollar"


# How amounts are written in running text: "3,062 million baht", "5 billion yen".
CURRENCY_WORDS = {
    "THB": "baht",
    "JPY": "yen",
    "USD": "US dollars",
    "EUR": "euros",
    "CNY": "yuan",
    "KRW": "won",
    "SGD": "Singapore dollars",
    "VND": "dong",
    "IDR": "rupiah",
    "MYR": "ringgit",
    "PHP": "pesos",
    "INR": "rupees",
    "GBP": "pounds",
    "TWD": "New Taiwan dollars",
    "HKD": "Hong Kong dollars",
    "AUD": "Australian dollars",
}


class AmountUnit(models.IntegerChoices):
    """The scale a source wrote an amount in, so the site can write it the same way."""

    ONE = 1, "as written"
    THOUSAND = 1_000, "thousand"
    MILLION = 1_000_000, "million"
    BILLION = 1_000_000_000, "billion"


def format_amount(amount, currency, unit=AmountUnit.MILLION):
    """Write an amount the way the sources do: "3,062 million baht", "30 million baht".

    The amount is stored in full; `unit` is the scale the source wrote it in.
    """
    if amount is None:
        return ""
    unit = AmountUnit(unit)
    scaled = amount / unit.value
    if scaled == scaled.to_integral_value():
        number = f"{scaled:,.0f}"
    else:
        number = f"{scaled:,.2f}".rstrip("0").rstrip(".")
    words = CURRENCY_WORDS.get(currency, currency)
    if unit is AmountUnit.ONE:
        return f"{number} {words}"
    return f"{number} {unit.label} {words}"
