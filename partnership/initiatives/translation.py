"""The initiatives' text in Thai and Japanese beside English (see core/translation.py)."""

from partnership.core.translation import translate
from partnership.initiatives.models import Initiative

translate(Initiative, "title", "summary", "description")
