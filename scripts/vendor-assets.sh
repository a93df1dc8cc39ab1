#!/usr/bin/env bash
# Copy the front-end assets the pages use from node_modules (installed from package.json and
# package-lock.json by `npm ci`) into static/vendor/, with the version each came from. Run it
# after changing a pinned version; the copies are committed, so nothing is fetched or built
# when the application runs.
set -euo pipefail
cd "$(dirname "$0")/.."

vendor() {  # vendor <npm package> <file in the package>...
    local package=$1; shift
    local version
    version=$(node -p "require('./node_modules/$package/package.json').version")
    local target="static/vendor/$package"
    rm -rf "$target"
    mkdir -p "$target"
    for file in "$@"; do
        cp "node_modules/$package/$file" "$target/"
    done
    cp "node_modules/$package/LICENSE" "$target/LICENSE" 2>/dev/null || true
    echo "$version" > "$target/VERSION"
    echo "vendored $package $version into $target"
}

# Drag and drop in the minutes editor's outline (MIT; static/js/outline.js).
vendor sortablejs Sortable.min.js
