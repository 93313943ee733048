"""Every download the site offers, in the order the data dictionary page documents them.

Each app declares its own (`<app>/datasets.py`); a new download is added here to appear on
the page.
"""

from partnership.agreements.datasets import AGREEMENTS
from partnership.initiatives.datasets import INITIATIVES
from partnership.investments.datasets import FIGURES, INVESTMENTS
from partnership.organizations.datasets import ORGANIZATIONS

DATASETS = [AGREEMENTS, INITIATIVES, ORGANIZATIONS, INVESTMENTS, FIGURES]
