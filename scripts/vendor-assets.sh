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
    # A package without a LICENSE file (govuk-frontend) gets the licence its package.json names.
    cp "node_modules/$package/LICENSE" "$target/LICENSE" 2>/dev/null \
        || node -p "'$package $version is licensed ' + require('./node_modules/$package/package.json').license + ' (package.json).'" > "$target/LICENSE"
    echo "$version" > "$target/VERSION"
    echo "vendored $package $version into $target"
}

# The minutes editor's rich-text editor (BSD-3-Clause): the full build with the snow theme.
# The source maps too: the files name them, and the production static storage (whitenoise's
# manifest) refuses a file whose map is missing.
vendor quill dist/quill.js dist/quill.js.map dist/quill.js.LICENSE.txt dist/quill.snow.css dist/quill.snow.css.map

# Drag and drop in the minutes editor's outline (MIT; static/js/outline.js).
vendor sortablejs Sortable.min.js

# The design system (GOV.UK Frontend, MIT): design/samordna.scss compiled with the product's
# colours and a system font (GOV.UK's typeface is for GOV.UK services only and is not
# vendored), and its JavaScript module, which static/js/design.js starts. The component
# JavaScript only enhances: every component it touches works without it.
vendor govuk-frontend dist/govuk/govuk-frontend.min.js dist/govuk/govuk-frontend.min.js.map
npx --no-install sass --load-path=node_modules --no-source-map --style=compressed \
    design/samordna.scss static/vendor/govuk-frontend/samordna.css
echo "compiled design/samordna.scss into static/vendor/govuk-frontend/samordna.css"
