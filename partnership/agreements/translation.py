"""The agreements' text in Thai and Japanese beside English (see core/translation.py): a
signatory's title on the day as their government writes it."""

from partnership.agreements.models import Agreement, CooperationArea, Policy, Signatory
from partnership.core.translation import translate

translate(Agreement, "title", "short_title", "summary", "description")
translate(CooperationArea, "title", "summary")
translate(Policy, "title", "summary", "description")
translate(Signatory, "title_at_signing")
