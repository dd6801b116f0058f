"""Prometheus metrics (issue 14 item 10), on `prometheus-client`.

Process metrics live here: request counts and latencies per route (`MetricsMiddleware`), the
duration of every background job (`job_timer`, used by `core.jobs.task`), and counters other
core modules keep (rate limits that failed open, connections the request watchdog cut). Numbers
that live in the database (outbox depth and age, exchange backlog, delivery failures, the legal
numbers) are read at scrape time by collectors that the wiring registers with
`register_collector` (config/metrics.py); each context's selectors supply them.

`/metrics` is served by config/metrics.py: with METRICS_TOKEN set it asks for
`Authorization: Bearer <token>`, without one it answers loopback clients only.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator

from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "minwon_http_requests",
    "HTTP requests answered, by method, route pattern and status code",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "minwon_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route pattern",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
JOB_SECONDS = Histogram(
    "minwon_job_duration_seconds",
    "Duration of background jobs and sweeps, by job name and outcome",
    ["job", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
THROTTLE_FAILURES = Counter(
    "minwon_throttle_failures",
    "Failed tries counted by a failure throttle (lookup, login, otp)",
    ["scope"],
)
THROTTLE_LOCKOUTS = Counter(
    "minwon_throttle_lockouts",
    "Bursts: a key, a client or a key from one client reached its free failures and must now wait",
    ["scope", "dimension"],
)


def route_of(request: HttpRequest) -> str:
    """The URL pattern (low cardinality: never the path with its ids), or a fixed word."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    route = getattr(match, "route", "") or match.view_name or "unmatched"
    return "/" + route.lstrip("^/")


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        REQUEST_SECONDS.labels(request.method or "", route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method or "", route, str(response.status_code)).inc()
        return response


@contextlib.contextmanager
def job_timer(name: str) -> Iterator[None]:
    started = time.perf_counter()
    outcome = "failed"
    try:
        yield
        outcome = "ok"
    finally:
        JOB_SECONDS.labels(name, outcome).observe(time.perf_counter() - started)


class _CoreCounters(Collector):
    """Counters kept as plain integers by modules that must not fail (read at scrape time)."""

    def collect(self) -> Iterable[Metric]:
        from minwon.core import ratelimit, timeouts

        fail_open = CounterMetricFamily(
            "minwon_rate_limit_fail_open", "Rate-limit checks let through because Redis failed"
        )
        fail_open.add_metric([], ratelimit.fail_open_count)
        yield fail_open
        cut = CounterMetricFamily(
            "minwon_request_database_cuts",
            "Database connections cut because a request outlived REQUEST_TIMEOUT_SECONDS",
        )
        cut.add_metric([], timeouts.cut_count)
        yield cut


_producers: dict[str, Callable[[], Iterable[Metric]]] = {}


class _ScrapeTime(Collector):
    """Runs each registered producer at scrape time; one that fails reports
    minwon_collector_up{name} = 0 and the rest of the scrape still answers."""

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily(
            "minwon_collector_up", "1 when a collector could read its numbers", labels=["name"]
        )
        for name, produce in list(_producers.items()):
            try:
                metrics = list(produce())
            except Exception as exc:  # a down database must not break the scrape
                log.warning("metrics: collector %s failed: %s", name, exc)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from metrics
        yield up

    def describe(self) -> Iterable[Metric]:
        return []  # not known before a scrape (and must not touch the database at registration)


def register_collector(name: str, produce: Callable[[], Iterable[Metric]]) -> None:
    """Add (or replace) a scrape-time producer of metric families."""
    _producers[name] = produce


REGISTRY.register(_CoreCounters())
REGISTRY.register(_ScrapeTime())
