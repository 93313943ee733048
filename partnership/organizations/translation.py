"""Organizations' and people's names in Thai and Japanese beside English (see
core/translation.py): a ministry as it names itself, a signatory in their own script."""

from partnership.core.translation import translate
from partnership.organizations.models import Organization, Person

translate(Organization, "name", "description")
translate(Person, "name")
