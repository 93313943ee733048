"""JSON representations of the public record, one module per app.

Related records are links: a small object with the record's API `url`, its `slug` and its name.
Amounts are decimal strings exactly as stored, next to their ISO 4217 `currency` and the
`amount_unit` the source wrote them in. Countries are `{"code": "TH", "name": "Thailand"}`.
Sources are embedded wherever they support what the record states.
"""

from .agreements import AgreementSerializer, AreaSerializer, PolicySerializer
from .common import SourceSerializer
from .initiatives import InitiativeSerializer
from .investments import FigureSerializer, InvestmentSerializer
from .organizations import OrganizationSerializer, PersonRecordSerializer
from .sectors import SectorSerializer

__all__ = [
    "AgreementSerializer",
    "AreaSerializer",
    "FigureSerializer",
    "InitiativeSerializer",
    "InvestmentSerializer",
    "OrganizationSerializer",
    "PersonRecordSerializer",
    "PolicySerializer",
    "SectorSerializer",
    "SourceSerializer",
]
