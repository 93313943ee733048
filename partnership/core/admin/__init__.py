"""The admin pieces every app shares, one concern a module.

- `site`: the admin site's names.
- `paginator`: changelists that do not count a large table row by row.
- `history`: each record's history, and who may revert to an earlier version.
- `concurrency`: refusing to save over someone else's newer change, of a record or a row.
- `editing`: how every record's form saves (`RecordAdmin`, `FastAdmin`): no overwrite, no
  unfit published record, one history entry per save, Editors' changes to published records
  kept for review.
- `publishing`: the publish actions and `PublishableAdmin`.
- `reviews`: the changes waiting for review, and publishing or rejecting them.
- `mixins`: money and cited sources in a change form.
- `filters`: list filters for sourced records with money (sources, amount, import), a
  date's year read from its index, and the choice-per-condition filter others are made
  from.
- `translations`: records whose text is in several languages, edited side by side, and
  what is not yet translated.
- `sources`: the admin of sources (Django's admin discovery imports this package, which
  registers it).
- `accounts`: staff accounts and groups, with the same refusal of a stale save.
"""

from partnership.core.admin import accounts, site  # noqa: F401  (names; accounts)
from partnership.core.admin.concurrency import ConcurrentEditForm, last_editor_name, version_of
from partnership.core.admin.editing import FastAdmin, PartInline, RecordAdmin
from partnership.core.admin.filters import (
    AmountRangeFilter,
    CitesSourceFilter,
    ConditionFilter,
    ImportBatchFilter,
    YearFilter,
)
from partnership.core.admin.history import HistoryAdmin
from partnership.core.admin.mixins import SOURCES_FIELDSET, CitedSourcesMixin, MoneyAdminMixin
from partnership.core.admin.paginator import (
    CountriesInUseFilter,
    EstimatedCountPaginator,
    estimated_count,
    is_large,
)
from partnership.core.admin.publishing import (
    PUBLICATION_FIELDSET,
    PublicRecordAdmin,
    PublishableAdmin,
    publish,
    unpublish,
)
from partnership.core.admin.reviews import RevisionAdmin
from partnership.core.admin.sources import SourceAdmin
from partnership.core.admin.translations import (
    MissingTranslationFilter,
    TranslatedAdmin,
    TranslatedStackedInline,
    TranslatedTabularInline,
)

__all__ = [
    "PUBLICATION_FIELDSET",
    "SOURCES_FIELDSET",
    "AmountRangeFilter",
    "CitedSourcesMixin",
    "CitesSourceFilter",
    "ConcurrentEditForm",
    "ConditionFilter",
    "CountriesInUseFilter",
    "EstimatedCountPaginator",
    "FastAdmin",
    "HistoryAdmin",
    "ImportBatchFilter",
    "MissingTranslationFilter",
    "MoneyAdminMixin",
    "PartInline",
    "PublicRecordAdmin",
    "PublishableAdmin",
    "RecordAdmin",
    "RevisionAdmin",
    "SourceAdmin",
    "TranslatedAdmin",
    "TranslatedStackedInline",
    "TranslatedTabularInline",
    "YearFilter",
    "estimated_count",
    "is_large",
    "last_editor_name",
    "publish",
    "unpublish",
    "version_of",
]
