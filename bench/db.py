"""Which PostgreSQL server and database the benchmark uses, and raw connections to it.

The benchmark never touches the project's own database: it works in its own
database (default ``covenant_bench``) on the server named by ``DATABASE_URL``,
or on the embedded server when ``DATABASE_URL`` is unset. It exports the
resulting URL as ``DATABASE_URL`` *before* Django is set up, so that Django,
the gunicorn server and the evaluation subprocesses it starts all use it.
"""

from __future__ import annotations

import os
import sys
from contextlib import closing
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent


def bench_environment(*, db_name: str, redis_url: str | None) -> dict[str, str]:
    """Point this process (and its children) at the bench database; return the overrides.

    Production-like settings: DEBUG off (no query log eating memory), a fixed
    secret key, plain-HTTP cookies for the local server.
    """
    url = _server_url()
    parts = urlsplit(url)
    bench_url = urlunsplit((parts.scheme, parts.netloc, "/" + db_name, parts.query, ""))
    overrides = {
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "covenant-bench-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "XDG_RUNTIME_DIR": os.environ.get("XDG_RUNTIME_DIR", "/tmp"),
    }
    os.environ.update(overrides)
    # The evaluation queue of the API server: a Redis database with no worker
    # (see bench/ingest.py); this process itself never queues anything.
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return overrides


def _server_url() -> str:
    """The server's URL: DATABASE_URL's, or the embedded server's (started if needed)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from core.embedded_db import embedded_database_settings

    settings = embedded_database_settings(base_dir=ROOT)
    host = quote(settings["HOST"], safe="")  # a socket directory, percent-encoded
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{settings['USER']}@{host}{port}/{settings['NAME']}"


def connect(*, url: str | None = None, autocommit: bool = True):
    """A raw psycopg2 connection to the bench database (or ``url``)."""
    conn = psycopg2.connect(url or os.environ["DATABASE_URL"])
    conn.autocommit = autocommit
    return conn


def _maintenance_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))


def database_name() -> str:
    return urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")


def database_exists() -> bool:
    with closing(connect(url=_maintenance_url())) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name()])
        return cur.fetchone() is not None


def database_create(*, drop_first: bool) -> None:
    """Create the bench database; with ``drop_first``, drop any previous one."""
    name = database_name()
    conn = connect(url=_maintenance_url())
    try:
        with conn.cursor() as cur:
            if drop_first:
                cur.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [name],
                )
                cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def server_facts() -> dict:
    """PostgreSQL version and the settings that matter for these figures."""
    with closing(connect()) as conn, conn.cursor() as cur:
        cur.execute("SHOW server_version")
        facts = {"server_version": cur.fetchone()[0]}
        for name in (
            "shared_buffers",
            "work_mem",
            "maintenance_work_mem",
            "effective_cache_size",
            "max_parallel_workers_per_gather",
            "synchronous_commit",
            "max_wal_size",
        ):
            cur.execute(f"SHOW {name}")
            facts[name] = cur.fetchone()[0]
        return facts
