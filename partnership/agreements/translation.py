"""The agreements' text in Thai and Japanese beside English (see core/translation.py)."""

from partnership.agreements.models import Agreement, CooperationArea, Policy
from partnership.core.translation import translate

translate(Agreement, "title", "short_title", "summary", "description")
translate(CooperationArea, "title", "summary")
translate(Policy, "title", "summary", "description")
