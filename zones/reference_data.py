"""Reference data the contract fixes: provinces by ISO 3166-2:PK code and the sector slugs.

Names are marked for translation; the database holds the English name.
"""

from django.utils.translation import gettext_noop as _

PROVINCES = [
    ("PK-PB", _("Punjab")),
    ("PK-SD", _("Sindh")),
    ("PK-KP", _("Khyber Pakhtunkhwa")),
    ("PK-BA", _("Balochistan")),
    ("PK-GB", _("Gilgit-Baltistan")),
    ("PK-JK", _("Azad Jammu and Kashmir")),
    ("PK-IS", _("Islamabad Capital Territory")),
]

SECTORS = [
    ("textiles", _("Textiles and garments")),
    ("food-processing", _("Food and agro-processing")),
    ("pharmaceuticals", _("Pharmaceuticals")),
    ("chemicals", _("Chemicals")),
    ("steel", _("Steel and metal fabrication")),
    ("light-engineering", _("Light engineering")),
    ("automotive", _("Automobiles and auto parts")),
    ("electronics", _("Household appliances and consumer electronics")),
    ("construction-materials", _("Cement, ceramics, marble and granite")),
    ("printing-packaging", _("Printing and packaging")),
    ("plastics", _("Plastics")),
    ("it", _("IT and IT-enabled services")),
    ("logistics", _("Logistics and warehousing")),
    ("minerals", _("Minerals")),
]
