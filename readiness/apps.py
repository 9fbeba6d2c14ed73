from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    """The readiness score of the zones: its rules, inputs, recompute, tasks and explanation.

    No models: the scores and profiles it reads and writes (``ReadinessSnapshot``,
    ``ScoringProfile``, ``Zone.readiness_*``) are the zones app's tables.
    """

    name = "readiness"
    verbose_name = _("Readiness")

    def ready(self):
        from . import signals

        signals.connect()
