from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Editing workspace")

    def ready(self):
        # Celery's autodiscovery imports <app>.tasks only; the workspace's tasks live in its
        # two packages, under the names they had in workspace.tasks.
        from .imports import tasks as imports_tasks  # noqa: F401
        from .review import tasks as review_tasks  # noqa: F401
