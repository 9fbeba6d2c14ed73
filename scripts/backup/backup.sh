#!/usr/bin/env bash
# Back up the database named by DATABASE_URL into one compressed pg_dump archive.
#   DATABASE_URL=postgres://user@host:5432/sez scripts/backup/backup.sh [backups/sez-DATE.dump]
# Restore with scripts/backup/restore.sh; see docs/reliability.md ("Backups").
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
out="${1:-backups/sez-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$out")"
# Custom format: compressed, restorable table by table and in parallel; no owners or
# privileges, so it restores into any role's database.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$out.partial" "$DATABASE_URL"
mv "$out.partial" "$out"
echo "$out $(stat -c %s "$out") bytes"
