from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """Announced vs delivered: each zone's targets held against what its records show. No
    models of its own: the targets (``zones.models.Target``) and the records it reads are the
    zones' and the investors'."""

    name = "delivery"
    verbose_name = _("Announced vs delivered")
