#!/usr/bin/env bash
# Back up the database (pg_dump custom format) and the media folder into one dated folder.
#
#   scripts/backup.sh [BACKUP_DIR]
#
# Reads DATABASE_URL (default: the development database) and MEDIA_ROOT (default: ./media).
# Writes BACKUP_DIR (default: ./var/backups, git-ignored)/<YYYY-MM-DDTHHMMSSZ>/{db.dump,media.tar.gz,SHA256SUMS} and prints the folder.
# Restore with scripts/restore.sh <that folder> <target DATABASE_URL>.
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/samordna}"
MEDIA_ROOT="${MEDIA_ROOT:-$PWD/media}"
BACKUP_DIR="${1:-${BACKUP_DIR:-$PWD/var/backups}}"

stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
target="$BACKUP_DIR/$stamp"
mkdir -p "$target"
# Dumps stay readable by the operator only: they hold personal data.
chmod 700 "$target"

pg_dump --format=custom --no-owner --no-privileges --file="$target/db.dump" "$DATABASE_URL"

if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$target/media.tar.gz" .
else
  # No media yet: an empty archive keeps restore simple.
  tar -czf "$target/media.tar.gz" -T /dev/null
fi

(cd "$target" && sha256sum db.dump media.tar.gz > SHA256SUMS)
echo "$target"
