#!/usr/bin/env bash
# Copies the front-end libraries the pages use from node_modules (installed by `npm ci` from
# package.json and package-lock.json, exact versions) into static/vendor/<name>/, each with its
# licence and a VERSION file saying which version it is. The copies are committed: nothing from
# npm is fetched or built when the application runs. Run it after changing a version in
# package.json (`npm install --save-exact PACKAGE@VERSION`, then this script, then commit
# package.json, package-lock.json and static/vendor/); tests/test_vendor_assets.py checks the
# committed copies against the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
  || npm ci --no-audit --no-fund --silent

# vendor PACKAGE DIRECTORY FILE...: node_modules/PACKAGE/FILE... into static/vendor/DIRECTORY/.
vendor() {
  local package=$1 dest=static/vendor/$2
  shift 2
  rm -rf "$dest"
  mkdir -p "$dest"
  for file in "$@"; do
    cp "node_modules/$package/$file" "$dest/"
  done
  cp "node_modules/$package/LICENSE" "$dest/LICENSE"
  node --input-type=commonjs -e \
    "process.stdout.write(require('./node_modules/$package/package.json').version + '\n')" >"$dest/VERSION"
  echo "$dest: $package $(cat "$dest/VERSION")"
}

# Drag and drop in the minutes editor's outline (static/js/outline.js).
vendor sortablejs sortablejs Sortable.min.js
