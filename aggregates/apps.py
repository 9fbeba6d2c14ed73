from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AggregatesConfig(AppConfig):
    name = "aggregates"
    verbose_name = _("Aggregates")

    def ready(self):
        from . import signals

        signals.connect()
