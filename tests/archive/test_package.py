"""The yearly package (E-ARK SIP, FGS Paketstruktur 2.0): the XSDs and CSIP's structural rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from minutes.archive.package import package_build
from minutes.archive.validation import (
    CSIP_NS,
    METS_NS,
    PREMIS_NS,
    XLINK_NS,
    mets_schema,
    premis_schema,
    validate_package,
)

pytestmark = pytest.mark.django_db


def _build(org, tmp_path: Path, **kwargs):
    return package_build(organisation=org, year=2023, target=tmp_path / "ut", **kwargs)


def test_the_package_of_a_year_passes_the_xsds_and_the_csip_rules(org, year_2023, tmp_path):
    built = _build(org, tmp_path)
    errors = validate_package(built.root)
    assert errors == []
