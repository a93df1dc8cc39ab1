"""The front-end libraries under static/vendor/ are the versions package.json pins and the
lockfile locks (scripts/vendor-assets.sh copies them there from node_modules), and the
design system's stylesheet is what design/samordna.scss compiles to with them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "static" / "vendor"


def vendored() -> list[Path]:
    return sorted(p for p in VENDOR.iterdir() if p.is_dir())


def test_every_vendored_library_is_the_pinned_and_locked_version():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert vendored(), "static/vendor/ is empty"
    for directory in vendored():
        name = directory.name  # static/vendor/<npm package>/
        version = (directory / "VERSION").read_text().strip()
        assert package["dependencies"][name] == version, f"{name}: package.json pins an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
        assert (directory / "LICENSE").is_file(), name


def test_the_vendored_files_are_the_packages_files():
    installed = ROOT / "node_modules"
    for directory in vendored():
        for file in directory.iterdir():
            if file.name == "VERSION" or file.name in BUILT:
                continue
            if file.name == "LICENSE" and not (installed / directory.name / "LICENSE").exists():
                # A package without a LICENSE file: the licence its package.json names.
                license = json.loads((installed / directory.name / "package.json").read_text())["license"]
                assert f" is licensed {license} (package.json)." in file.read_text(), file
                continue
            # The package's file of that name, wherever the package keeps it (dist/ or its root).
            originals = list((installed / directory.name).rglob(file.name))
            assert any(o.read_bytes() == file.read_bytes() for o in originals), (
                f"{file} is not the package's: run scripts/vendor-assets.sh"
            )


BUILT = {"samordna.css"}  # compiled by vendor-assets.sh, checked below


def test_the_design_systems_stylesheet_is_what_the_scss_compiles_to(tmp_path):
    """static/vendor/govuk-frontend/samordna.css is design/samordna.scss compiled with the
    pinned GOV.UK Frontend and sass: nobody edited the output, and nobody forgot to compile."""
    out = tmp_path / "samordna.css"
    subprocess.run(
        ["npx", "--no-install", "sass", "--load-path=node_modules", "--no-source-map", "--style=compressed",
         "design/samordna.scss", str(out)],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )
    assert out.read_bytes() == (VENDOR / "govuk-frontend" / "samordna.css").read_bytes(), (
        "static/vendor/govuk-frontend/samordna.css is not design/samordna.scss compiled: run scripts/vendor-assets.sh"
    )


def test_sortablejs_says_its_version_in_the_file():
    version = (VENDOR / "sortablejs" / "VERSION").read_text().strip()
    assert f"Sortable {version} " in (VENDOR / "sortablejs" / "Sortable.min.js").read_text()[:200]
