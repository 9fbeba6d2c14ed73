#!/usr/bin/env bash
# Restore a pg_dump archive into a NEW, empty database (it refuses an existing one).
#   scripts/backup/restore.sh backups/sez-DATE.dump postgres://user@host:5432/sez_restored
# Point DATABASE_URL at the restored database and start the services again; the readiness
# scores and their history come back as they were (scripts/backup/verify.py checks that).
set -euo pipefail
archive="${1:?usage: restore.sh ARCHIVE TARGET_DATABASE_URL}"
target="${2:?usage: restore.sh ARCHIVE TARGET_DATABASE_URL}"
name="${target##*/}"
server="${target%/*}/postgres"
if psql "$server" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
  echo "database $name exists: restore into a new one, then switch DATABASE_URL" >&2
  exit 1
fi
psql "$server" -qc "CREATE DATABASE \"$name\""
pg_restore --no-owner --no-privileges --exit-on-error --jobs=2 --dbname="$target" "$archive"
echo "restored $archive into $name"
