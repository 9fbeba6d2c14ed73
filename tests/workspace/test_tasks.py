"""The workspace's Celery tasks keep the names queued messages and the beat schedule use."""

import pytest
from django.conf import settings

from config.celery import app
from workspace.imports.tasks import apply_import_job, check_import_job
from workspace.review.tasks import send_overdue_digests


@pytest.mark.parametrize(
    ("task", "name"),
    [
        (check_import_job, "workspace.tasks.check_import_job"),
        (apply_import_job, "workspace.tasks.apply_import_job"),
        (send_overdue_digests, "workspace.tasks.send_overdue_digests"),
    ],
)
def test_a_task_keeps_its_name_and_a_worker_registers_it(task, name):
    app.loader.import_default_modules()  # what a worker does when it starts

    assert task.name == name
    assert name in app.tasks


def test_the_digest_in_the_beat_schedule_is_a_registered_task():
    app.loader.import_default_modules()

    assert settings.CELERY_BEAT_SCHEDULE["overdue-milestone-digests"]["task"] in app.tasks
