#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a database and a media folder.
#
#   scripts/restore.sh BACKUP_FOLDER TARGET_DATABASE_URL
#
# The target database must exist (createdb it first); objects already in it are replaced.
# Media files are unpacked into MEDIA_ROOT (default: ./media), over what is there.
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

mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$source_dir/media.tar.gz"
echo "Restored $source_dir into the database and $MEDIA_ROOT"
