#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a database and a media folder.
#
#   scripts/restore.sh BACKUP_FOLDER TARGET_DATABASE_URL
#
# The target database must exist (createdb it first); objects already in it are replaced.
# Media files are unpacked into MEDIA_ROOT (default: ./media), over what is there. A backup
# taken with MEDIA_STORAGE=s3 holds no media: they are restored from the object store's own
# versions or replica, and this says which bucket.
# Stop the web, worker and beat containers/processes before restoring into a live database.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 2 ]; then
  echo "usage: $0 BACKUP_FOLDER TARGET_DATABASE_URL" >&2
  exit 2
fi
source_dir="$1"
target_url="$2"
MEDIA_ROOT="${MEDIA_ROOT:-$PWD/media}"

(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
  --dbname="$target_url" "$source_dir/db.dump"

if [ -f "$source_dir/media-in-object-storage.txt" ]; then
  echo "Restored $source_dir into the database. Its media files are not in the backup: they live in" \
    "$(cat "$source_dir/media-in-object-storage.txt"); restore them there from the object store's versions or replica."
  exit 0
fi
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$source_dir/media.tar.gz"
echo "Restored $source_dir into the database and $MEDIA_ROOT"
if [ "${MEDIA_STORAGE:-filesystem}" = "s3" ]; then
  echo "MEDIA_STORAGE=s3: the application reads its files from the bucket, not from $MEDIA_ROOT;" \
    "copy them into s3://${MEDIA_S3_BUCKET:-}/${MEDIA_S3_PREFIX:-} with the object store's tools." >&2
fi
