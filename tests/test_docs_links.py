"""The repository points only to documents it has: a reader sent to a missing file (the
README and system-deps.sh named an architecture document that is not in the repository) is
lost."""

from __future__ import annotations

import re

from tests.conftest import ROOT

SKIP = {".venv", ".git", "node_modules", "media", "staticfiles", "var", "__pycache__", ".mypy_cache",
        ".ruff_cache", ".pytest_cache"}
TEXT = {".py", ".sh", ".md", ".yml", ".yaml", ".toml", ".html", ".txt", ".cfg", ".ini"}
NAMED = {"Dockerfile", "Makefile", "run", "dev"}
MD_REF = re.compile(r"(?<![\w./-])([\w./-]+\.md)\b")


def _files():
    for path in ROOT.rglob("*"):
        if any(part in SKIP for part in path.relative_to(ROOT).parts) or not path.is_file():
            continue
        if path.suffix in TEXT or path.name in NAMED:
            yield path


def test_every_markdown_file_named_in_the_repository_exists():
    missing = []
    for path in _files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for name in MD_REF.findall(line):
                if not ((ROOT / name).exists() or (path.parent / name).exists()):
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {name}")
    assert missing == []
