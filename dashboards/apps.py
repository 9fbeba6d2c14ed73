from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from aggregates.events import aggregates_refreshed
        from readiness.events import readiness_recomputed

        from .cache import aggregates_written, data_changed, scores_written, tracked_models

        # Every record of the apps whose figures pages show, present and future: a new
        # record type is followed the day it is added, not when somebody remembers.
        for model in tracked_models():
            post_save.connect(data_changed, sender=model, dispatch_uid=f"dashboards-{model}-save")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"dashboards-{model}-del")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    data_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"dashboards-{model}-{field.name}",
                )
        readiness_recomputed.connect(scores_written, dispatch_uid="dashboards-recomputed")
        # The dashboards read the aggregate tables: a page built before they caught up with an
        # edit must not outlive their refresh.
        aggregates_refreshed.connect(aggregates_written, dispatch_uid="dashboards-aggregates")
        # A flushed or migrated database (tests, deployments) holds other data.
        post_migrate.connect(data_changed, dispatch_uid="dashboards-migrated")
