"""The reported figures' notes in Thai and Japanese beside English (see core/translation.py)."""

from partnership.core.translation import translate
from partnership.investments.models import InvestmentFigure

translate(InvestmentFigure, "note")
