"""Fill a Minwon database with a decade of a city's complaints (issue 22), by bulk loading.

    .venv/bin/python bench/datagen.py --complaints 10000000            # PostgreSQL (COPY)
    .venv/bin/python bench/datagen.py --complaints 100000 --database sqlite:////tmp/bench.sqlite3
    .venv/bin/python bench/datagen.py --complaints 1000000 --reset     # empty the tables first

What it writes, per complaint, as the product would: the complaint row with its legal clock
(`due_at` computed by `minwon.lawclock` on the city's working calendar, cached per registration
hour and period), its history rows (도달, 접수, 담당 지정 and the answer for the answered ones, the
receipt and result notices among them), its applicant (name, phone, e-mail and address encrypted
with the configured keys, blind indexes as the product computes them), attachment metadata for
about a third of them, and the notification outbox rows (a receipt and a result notice with one
delivered e-mail each). Org units are Paju's chart (`accounts/data/paju_org_units.csv`); the
catalogue is the seeded examples topped up with generated types to `--types`.

Where it is not production: applicants come from a pool of `--people` encrypted identities
(Fernet encryption is the slowest step; a pool keeps the ciphertexts real while ten million
distinct people would take hours), officers are not created (no assignee, no actor), and titles
and texts are built from a small phrase list. Rows get explicit ids (the sequences are moved past
them afterwards), so a run without `--reset` appends. A progress bar goes to stderr; the last line
on stdout is a JSON object with the rows written per table and the seconds taken.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEOUL = ZoneInfo("Asia/Seoul")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/minwon_bench"
CHUNK = 20_000

# What people write about (title, text); with a place and a number they are varied enough.
TOPICS = [
    ("도로 파손 신고", "{place} 앞 도로가 움푹 파여 차량 통행이 위험합니다. 보수를 요청합니다."),
    ("가로등 고장", "{place} 가로등이 {n}일째 꺼져 있어 밤길이 어둡습니다."),
    ("불법 주정차 단속 요청", "{place} 주변에 불법 주차 차량이 많아 통행이 어렵습니다."),
    ("소음 민원", "{place} 공사장 소음이 새벽부터 심합니다. 작업 시간을 지켜 주세요."),
    ("쓰레기 무단투기", "{place} 골목에 쓰레기가 {n}주째 쌓여 있습니다."),
    ("버스 배차 간격 문의", "{place} 정류장 {n}번 버스 배차 간격이 너무 깁니다."),
    ("공원 시설 보수", "{place} 공원 벤치와 운동기구가 파손되어 있습니다."),
    ("상수도 누수", "{place} 보도블록 사이로 물이 새고 있습니다."),
    ("불법 현수막", "{place} 교차로에 불법 현수막이 {n}개 걸려 있습니다."),
    ("복지 서비스 문의", "기초연금 신청 절차와 필요한 서류를 알고 싶습니다. ({place})"),
    ("건축 허가 문의", "{place} 토지에 주택을 지으려면 어떤 허가가 필요한가요?"),
    ("세금 고지 문의", "재산세 고지서 금액이 작년보다 {n}만원 늘었습니다. 이유를 알고 싶습니다."),
]
PLACES = [
    "금촌역",
    "운정역",
    "문산읍 행정복지센터",
    "교하동 주민센터",
    "야당역",
    "파주시청",
    "금릉역",
    "탄현면 사거리",
    "조리읍 봉일천시장",
    "광탄면 버스터미널",
    "월롱역",
    "헤이리마을",
]
NAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "민준",
    "서연",
    "도윤",
    "지우",
    "하준",
    "서윤",
    "은우",
    "지민",
    "예준",
    "수아",
    "영수",
    "순자",
]
# (kind, share) of general complaints; 법정민원 take their period from their type.
KINDS = [
    ("other", 0.42),
    ("statutory", 0.25),
    ("grievance", 0.12),
    ("inquiry_procedure", 0.10),
    ("suggestion", 0.06),
    ("inquiry_law", 0.05),
]
CHANNELS = [
    ("web", 0.55),
    ("counter", 0.15),
    ("epeople", 0.12),
    ("phone", 0.08),
    ("api", 0.05),
    ("gov24", 0.03),
    ("post", 0.02),
]
DECREE_PERIODS = {
    "other": "instant",
    "grievance": "7d",
    "inquiry_procedure": "7d",
    "suggestion": "14d",
    "inquiry_law": "14d",
}
OUTCOMES = ["granted", "granted", "partially_granted", "refused", "informed"]
TYPE_PERIODS = ["instant", "3h", "1d", "3d", "5d", "7d", "10d", "14d", "20d", "30d", "1m"]


def _setup(database: str) -> None:
    if database.startswith("postgres"):
        import psycopg

        server, _, name = database.rpartition("/")
        with psycopg.connect(server.replace("postgres://", "postgresql://", 1) + "/postgres") as c:
            c.autocommit = True
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                c.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "MINWON_MODE": "test",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-0123456789abcdef-0123"),
            "DATABASE_URL": database,
            "BACKGROUND_RUNNER": "none",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


class Loader:
    """Rows into one table: COPY on PostgreSQL, executemany elsewhere. Columns the model gained
    after this script was written that are NOT NULL without a default get a neutral value."""

    def __init__(self, table: str, columns: list[str]) -> None:
        from django.db import connection

        self.table, self.vendor = table, connection.vendor
        self.columns = columns + self._other_columns(table, columns)
        self.pad = [self._neutral[c] for c in self.columns[len(columns) :]]
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def _other_columns(self, table: str, known: list[str]) -> list[str]:
        from django.db import connection

        self._neutral: dict[str, Any] = {}
        with connection.cursor() as cursor:
            described = connection.introspection.get_table_description(cursor, table)
        for column in described:
            if column.name in known or column.null_ok or column.name == "id":
                continue
            if column.default is not None:  # a database default (PostgreSQL) takes care of it
                continue
            type_name = str(connection.introspection.get_field_type(column.type_code, column))
            self._neutral[column.name] = (
                False
                if "Boolean" in type_name
                else "[]"
                if "JSON" in type_name
                else 0
                if "Integer" in type_name or "Float" in type_name or "Decimal" in type_name
                else datetime(2000, 1, 1, tzinfo=SEOUL)
                if "Date" in type_name
                else ""
            )
        return list(self._neutral)

    def add(self, *row: Any) -> None:
        self.rows.append((*row, *self.pad))
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        from django.db import connection

        if not self.rows:
            return
        names = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor  # psycopg 3 under Django's wrapper
                with raw.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f'INSERT INTO "{self.table}" ({names}) VALUES ({marks})', self.rows
                )
        self.written += len(self.rows)
        self.rows.clear()


def _reference_data(types_wanted: int, rng: random.Random) -> tuple[list[Any], list[Any]]:
    from minwon.accounts.models import OrgUnit
    from minwon.accounts.services import org_chart_import_csv
    from minwon.catalog.domain import TypeData
    from minwon.catalog.models import ComplaintType
    from minwon.catalog.services import catalog_seed_examples, complaint_type_create

    org_chart_import_csv(
        actor=None,
        path=ROOT / "minwon" / "accounts" / "data" / "paju_org_units.csv",
        city_code="paju",
        city_name_ko="파주시",
        city_name_en="Paju City",
        city_admin_code="4148000000",
    )
    catalog_seed_examples()
    units = list(OrgUnit.objects.exclude(parent=None).order_by("pk"))
    count = ComplaintType.objects.count()
    for number in range(count, types_wanted):
        unit = rng.choice(units)
        complaint_type_create(
            actor=None,
            data=TypeData(
                code=f"bench-type-{number:04d}",
                name_ko=f"{rng.choice(['허가', '신고', '등록', '확인', '승인'])} 신청 {number:04d}",
                processing_period=rng.choice(TYPE_PERIODS[2:]),
                handling_unit_code=unit.code,
            ),
        )
    types = list(ComplaintType.objects.filter(kind="statutory").select_related("current_version"))
    return units, types


def _people(n: int, rng: random.Random) -> list[tuple[str, ...]]:
    """A pool of applicants, encrypted and indexed as intake does."""
    from minwon.complaints.services.intake import applicant_name_index, household_index
    from minwon.core import crypto

    pool = []
    for i in range(n):
        name = rng.choice(NAMES) + rng.choice(GIVEN)
        phone = f"010-{rng.randrange(2000, 9999)}-{rng.randrange(1000, 9999)}"
        address = f"경기도 파주시 {rng.choice(PLACES)} {rng.randrange(1, 300)}"
        pool.append(
            (
                crypto.encrypt(name),
                applicant_name_index(name),
                crypto.encrypt(phone),
                crypto.encrypt(f"person{i}@example.kr"),
                crypto.encrypt(address),
                household_index(address),
            )
        )
    return pool


def _instants(rng: random.Random, now: datetime, years: int) -> Iterator[datetime]:
    """Arrival instants over `years`, more recent years a little busier, working hours mostly."""
    span = years * 365
    while True:
        day = now - timedelta(days=span * (1 - rng.random() ** 1.15))
        hour = rng.choices(range(24), weights=[1] * 8 + [6, 9, 9, 8, 4, 8, 9, 8, 7, 5] + [2] * 6)[0]
        yield day.replace(
            hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0
        )


def generate(
    n: int,
    *,
    years: int = 10,
    seed: int = 0,
    types: int = 500,
    people: int = 20_000,
    progress: Callable[[int], None] = lambda _: None,
) -> dict[str, int]:
    """Write `n` complaints with their rows on the current Django connection."""
    from django.db import transaction

    from minwon.catalog.selectors import working_calendar_get
    from minwon.complaints.domain import follow_number, receipt_number
    from minwon.complaints.models import Complaint
    from minwon.lawclock.due import compute_due_at

    with transaction.atomic():
        units, type_rows = _reference_data(types, random.Random(seed))
    # Appending to earlier runs: the rows after `start` get their own stream (new follow numbers).
    start = (Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rng = random.Random(seed * 1_000_003 + start)
    pool = _people(people, rng)
    calendar = working_calendar_get()
    now = datetime.now(SEOUL).replace(microsecond=0)
    due_cache: dict[tuple[datetime, str], datetime] = {}
    from minwon.complaints.models import Applicant, Attachment, ComplaintEvent
    from minwon.notifications.models import Delivery, Notification

    table = {
        m: m._meta.db_table
        for m in (Complaint, ComplaintEvent, Applicant, Attachment, Notification, Delivery)
    }
    next_ids = {
        m: (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        for m in (ComplaintEvent, Applicant, Attachment, Notification, Delivery)
    }
    complaints = Loader(
        table[Complaint],
        [
            "id",
            "created_at",
            "updated_at",
            "receipt_number",
            "follow_number",
            "kind",
            "complaint_type_id",
            "type_version_id",
            "title",
            "body",
            "location_text",
            "channel",
            "status",
            "arrived_at",
            "registered_at",
            "org_unit_id",
            "unit_received_at",
            "clock",
            "clock_started_at",
            "period",
            "period_legal_basis",
            "excluded_intervals",
            "extensions",
            "due_at",
            "original_due_at",
            "outcome",
            "answer",
            "answered_at",
            "result_notices",
            "closed_at",
            "signer_count",
            "household_count",
        ],
    )
    events = Loader(
        table[ComplaintEvent],
        [
            "id",
            "complaint_id",
            "occurred_at",
            "action",
            "from_status",
            "to_status",
            "data",
            "notice",
            "notice_delivered_at",
        ],
    )
    applicants = Loader(
        table[Applicant],
        [
            "id",
            "created_at",
            "updated_at",
            "complaint_id",
            "name_encrypted",
            "name_index",
            "phone_encrypted",
            "email_encrypted",
            "address_encrypted",
            "address_index",
        ],
    )
    attachments = Loader(
        table[Attachment],
        [
            "id",
            "created_at",
            "updated_at",
            "complaint_id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "storage_name",
        ],
    )
    notifications = Loader(
        table[Notification],
        [
            "id",
            "created_at",
            "updated_at",
            "idempotency_key",
            "event",
            "language",
            "email_encrypted",
            "context",
            "urgent",
            "not_before",
            "complaint_id",
            "org_unit_id",
        ],
    )
    deliveries = Loader(
        table[Delivery],
        [
            "id",
            "created_at",
            "updated_at",
            "notification_id",
            "channel",
            "status",
            "attempts",
            "next_attempt_at",
            "delivered_at",
        ],
    )
    arrivals = _instants(rng, now, years)
    empty = "{}"
    for offset in range(n):
        pk = start + offset
        arrived = next(arrivals)
        kind = _pick(rng, KINDS)
        ctype = rng.choice(type_rows) if kind == "statutory" else None
        version = ctype.current_version if ctype else None
        period = version.processing_period if version else DECREE_PERIODS[kind]
        unit = (
            version.handling_org_unit_id
            if version and version.handling_org_unit_id
            else rng.choice(units).pk
        )
        registered = arrived + timedelta(minutes=rng.randrange(5, 240))
        key = (registered.replace(minute=0, second=0), period)
        due = due_cache.get(key)
        if due is None:
            due = compute_due_at(registered_at=key[0], period=period, calendar=calendar)
            due_cache[key] = due
        age = (now - registered).days
        if age > 45 or rng.random() < 0.6 * min(age, 45) / 45:
            late = rng.random() < 0.04
            answered = (
                due + timedelta(hours=rng.randrange(1, 72))
                if late
                else (registered + (due - registered) * rng.uniform(0.15, 0.98))
            )
            answered = min(answered, now)
            status, closed = "answered", None
            outcome = rng.choice(OUTCOMES)
        else:
            answered, outcome, closed = None, "", None
            status = rng.choice(["registered", "in_progress", "in_progress", "supplement_pending"])
        topic, text = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        body = text.format(place=place, n=rng.randrange(2, 20))
        complaints.add(
            pk,
            arrived,
            answered or registered,
            receipt_number(year=registered.year, sequence=pk),
            follow_number(rng.getrandbits(64)),
            kind,
            ctype.pk if ctype else None,
            version.pk if version else None,
            f"{topic} ({place})",
            body,
            place,
            _pick(rng, CHANNELS),
            status,
            arrived,
            registered,
            unit,
            registered,
            "processing",
            registered,
            period,
            "bench",
            "[]",
            "[]",
            due,
            due,
            outcome,
            "처리하였습니다." if answered else "",
            answered,
            1 if answered else 0,
            closed,
            1,
            1,
        )
        ev = next_ids[ComplaintEvent]
        events.add(ev, pk, arrived, "arrive", "", "received", empty, "", None)
        events.add(
            ev + 1,
            pk,
            registered,
            "register",
            "received",
            "registered",
            empty,
            "receipt",
            registered,
        )
        used = 2
        if status != "registered":
            events.add(
                ev + 2,
                pk,
                registered + timedelta(hours=1),
                "assign",
                "registered",
                "in_progress",
                empty,
                "",
                None,
            )
            used += 1
        if answered:
            events.add(
                ev + used,
                pk,
                answered,
                "answer",
                "in_progress",
                "answered",
                empty,
                "result",
                answered,
            )
            used += 1
        next_ids[ComplaintEvent] += used
        person = rng.choice(pool)
        applicants.add(next_ids[Applicant], registered, registered, pk, *person)
        next_ids[Applicant] += 1
        for _ in range(rng.choices([0, 1, 2], weights=[66, 27, 7])[0]):
            attachments.add(
                next_ids[Attachment],
                arrived,
                arrived,
                pk,
                "사진.jpg",
                "image/jpeg",
                rng.randrange(40_000, 4_000_000),
                f"{rng.getrandbits(256):064x}",
                f"bench/{uuid.UUID(int=rng.getrandbits(128)).hex}",
            )
            next_ids[Attachment] += 1
        for event, at in (("complaint_registered", registered), ("complaint_answered", answered)):
            if at is None:
                continue
            nid = next_ids[Notification]
            notifications.add(
                nid,
                at,
                at,
                f"bench:{pk}:{event}",
                event,
                "ko",
                person[3],
                "{}",
                False,
                at,
                pk,
                unit,
            )
            deliveries.add(next_ids[Delivery], at, at, nid, "email", "delivered", 1, at, at)
            next_ids[Notification] += 1
            next_ids[Delivery] += 1
        if offset % 1000 == 999:
            progress(1000)
    for loader in (complaints, events, applicants, attachments, notifications, deliveries):
        loader.flush()
    progress(n % 1000)
    _move_sequences([complaints, events, applicants, attachments, notifications, deliveries])
    loaders = (complaints, events, applicants, attachments, notifications, deliveries)
    return {loader.table: loader.written for loader in loaders}


def _move_sequences(loaders: list[Loader]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    with connection.cursor() as cursor:
        for loader in loaders:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{loader.table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{loader.table}"), 1))'
            )


def _reset() -> None:
    from django.db import connection

    from minwon.complaints.models import Complaint
    from minwon.notifications.models import Delivery, Notification

    tables = [Delivery._meta.db_table, Notification._meta.db_table, Complaint._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
            return
    Delivery.objects.all().delete()
    Notification.objects.all().delete()
    Complaint.objects.all().delete()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=10_000_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--types", type=int, default=500, help="catalogue types to have at least")
    parser.add_argument("--people", type=int, default=20_000, help="distinct applicants (pool)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--reset", action="store_true", help="empty the complaint tables first")
    args = parser.parse_args(argv)
    if args.complaints < 1 or args.years < 1:
        parser.error("--complaints and --years must be at least 1")
    _setup(args.database)
    from django.db import connection, transaction
    from tqdm import tqdm

    started = time.perf_counter()
    if args.reset:
        _reset()
    bar = tqdm(total=args.complaints, unit="complaint", file=sys.stderr, mininterval=1)
    with bar, transaction.atomic():
        written = generate(
            args.complaints,
            years=args.years,
            seed=args.seed,
            types=args.types,
            people=args.people,
            progress=bar.update,
        )
    load_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        connection.set_autocommit(True)
        with connection.cursor() as cursor:
            for name in written:
                cursor.execute(f'VACUUM ANALYZE "{name}"')
    buffer = io.StringIO()
    json.dump(
        {
            "database": connection.vendor,
            "complaints": args.complaints,
            "rows": written,
            "load_seconds": round(load_seconds, 1),
            "total_seconds": round(time.perf_counter() - started, 1),
            "complaints_per_second": round(args.complaints / load_seconds),
        },
        buffer,
        ensure_ascii=False,
    )
    print(buffer.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
