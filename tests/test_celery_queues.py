"""Routing's Celery queue (issue 15): reading complaints in Korean never waits in, or holds up,
the queue the notices and deadline sweeps use. The wiring is config/celery.py."""

from __future__ import annotations

import pytest
from django.conf import settings

from config import celery as wiring
from minwon.core import jobs

ROUTING_JOBS = {"complaints.routing_read", "routing.retrain"}


@pytest.fixture(scope="module")
def every_job() -> set[str]:
    for module in settings.CELERY_IMPORTS:
        __import__(module)
    return set(jobs.declared())


def _queue_of(name: str) -> str:
    return str(wiring.app.amqp.router.route({}, name)["queue"].name)


def test_routing_jobs_go_to_the_routing_queue_and_no_other_job_does(every_job):
    routing, default = wiring.ROUTING_QUEUE, wiring.DEFAULT_QUEUE
    assert routing != default
    assert every_job >= ROUTING_JOBS  # the names the routes match are the declared ones
    for name in sorted(every_job):
        expected = routing if name in ROUTING_JOBS or name.startswith("routing.") else default
        assert _queue_of(name) == expected, name
    assert "notifications.dispatch" in every_job and _queue_of("notifications.dispatch") == default


def test_a_worker_without_q_consumes_both_queues():
    """A small installation runs one `minwon worker`: nothing may be left unconsumed."""
    names = {q.name for q in wiring.app.conf.task_queues}
    assert names == {wiring.DEFAULT_QUEUE, wiring.ROUTING_QUEUE}


def test_a_sent_routing_job_arrives_on_the_routing_queue():
    """Through kombu itself (its in-memory transport), as `jobs.send` and beat send them."""
    with wiring.app.connection_for_write("memory://") as connection:
        for name in ("complaints.routing_read", "notifications.dispatch", "routing.retrain"):
            wiring.app.send_task(name, kwargs={}, connection=connection)
        routing = connection.SimpleQueue(wiring.ROUTING_QUEUE)
        default = connection.SimpleQueue(wiring.DEFAULT_QUEUE)
        got = [routing.get(timeout=2).headers["task"] for _ in range(2)]
        assert sorted(got) == ["complaints.routing_read", "routing.retrain"]
        assert default.get(timeout=2).headers["task"] == "notifications.dispatch"
        for queue in (routing, default):
            with pytest.raises(queue.Empty):
                queue.get(timeout=0.1)
            queue.close()


def test_a_shared_broker_keeps_each_installations_routing_queue_apart():
    assert wiring.queue_names({"CELERY_QUEUE": "city-b"}) == ("city-b", "city-b-routing")
    assert wiring.queue_names({"CELERY_QUEUE": ""}) == ("minwon", "routing")
    assert wiring.queue_names({}) == ("minwon", "routing")
