from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from investors.models import AnnualReturn, Firm
        from readiness.events import readiness_recomputed
        from zones.models import (
            LandDispute,
            Milestone,
            Province,
            ReadinessSnapshot,
            Sector,
            Target,
            UtilityConnection,
            Zone,
        )

        from .cache import data_changed, scores_written

        for model in (
            Zone,
            UtilityConnection,
            LandDispute,
            Milestone,
            ReadinessSnapshot,
            Firm,
            AnnualReturn,
            Province,
            Sector,
            Target,
        ):
            post_save.connect(data_changed, sender=model, dispatch_uid=f"dashboards-{model}-save")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"dashboards-{model}-del")
        m2m_changed.connect(
            data_changed, sender=Zone.sectors.through, dispatch_uid="dashboards-zone-sectors"
        )
        readiness_recomputed.connect(scores_written, dispatch_uid="dashboards-recomputed")
        # A flushed or migrated database (tests, deployments) holds other data.
        post_migrate.connect(data_changed, dispatch_uid="dashboards-migrated")
