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

# The minutes editor's rich-text editor (BSD-3-Clause): the full build with the snow theme.
# The source maps too: the files name them, and the production static storage (whitenoise's
# manifest) refuses a file whose map is missing.
vendor quill dist/quill.js dist/quill.js.map dist/quill.js.LICENSE.txt dist/quill.snow.css dist/quill.snow.css.map
