import uuid

import pytest

from config.celery import health_check


@pytest.mark.worker
def test_health_task_round_trips_through_a_real_worker(celery_worker_process):
    token = uuid.uuid4().hex

    result = health_check.delay(token)

    try:
        assert result.get(timeout=60) == f"ok:{token}"
    except Exception:
        print(celery_worker_process.log())
        raise
