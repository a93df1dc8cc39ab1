#!/usr/bin/env bash
# Back up the database (pg_dump custom format) and the media folder into one dated folder.
#
#   scripts/backup.sh [BACKUP_DIR]
#
# Reads DATABASE_URL (default: the development database) and MEDIA_ROOT (default: ./media).
# Writes BACKUP_DIR (default: ./var/backups, git-ignored)/<YYYY-MM-DDTHHMMSSZ>/{db.dump,media.tar.gz,SHA256SUMS} and prints the folder.
# Restore with scripts/restore.sh <that folder> <target DATABASE_URL>.
#
# With MEDIA_STORAGE=s3 the files are in the bucket, not in a folder here: the backup holds the
# database and media-in-object-storage.txt (which bucket) instead of media.tar.gz, and says so.
# Back the bucket up with the object store's own versioning or replication; an issued file is
# never overwritten (a new name for every file), so the dump and the bucket's versions agree.
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/samordna}"
MEDIA_ROOT="${MEDIA_ROOT:-$PWD/media}"
MEDIA_STORAGE="${MEDIA_STORAGE:-filesystem}"
BACKUP_DIR="${1:-${BACKUP_DIR:-$PWD/var/backups}}"

stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
target="$BACKUP_DIR/$stamp"
mkdir -p "$target"
# Dumps stay readable by the operator only: they hold personal data.
chmod 700 "$target"

pg_dump --format=custom --no-owner --no-privileges --file="$target/db.dump" "$DATABASE_URL"

if [ "$MEDIA_STORAGE" = "s3" ]; then
  bucket="s3://${MEDIA_S3_BUCKET:?MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET}/${MEDIA_S3_PREFIX:-}"
  printf '%s at %s\n' "$bucket" "${MEDIA_S3_ENDPOINT_URL:-AWS S3}" > "$target/media-in-object-storage.txt"
  echo "Media files are not in this backup: they live in $bucket (${MEDIA_S3_ENDPOINT_URL:-AWS S3})." \
    "Back the bucket up with the object store's own versioning or replication." >&2
  media=media-in-object-storage.txt
elif [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$target/media.tar.gz" .
  media=media.tar.gz
else
  # No media yet: an empty archive keeps restore simple.
  tar -czf "$target/media.tar.gz" -T /dev/null
  media=media.tar.gz
fi

(cd "$target" && sha256sum db.dump "$media" > SHA256SUMS)
echo "$target"
