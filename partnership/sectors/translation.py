"""Sectors' names and descriptions in Thai and Japanese beside English (see
core/translation.py). A sector's name is unique in each language: an untranslated name is
stored as nothing (NULL), which the uniqueness leaves alone."""

from partnership.core.translation import translate
from partnership.sectors.models import Sector

translate(Sector, "name", "description", empty_values={"name": None})
