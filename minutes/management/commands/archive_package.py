"""`manage.py archive_package <förbund> <år> [--organ NAMN] --output <mapp | fil.zip | fil.tar> [--validate]`

Builds the yearly archive package (E-ARK SIP / FGS Paketstruktur 2.0) for scheduled delivery,
in this process: into the folder `<output>/<OBJID>/`, or as one ZIP or TAR file. `--validate`
checks it against the XSDs and CSIP's rules first and fails (exit 1) if it does not pass.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from board.models import Organ, Organisation
from minutes.archive.package import package_build
from minutes.archive.services import write_tar, write_zip
from minutes.archive.validation import validate_package


class Command(BaseCommand):
    help = "Bygg förbundets arkivpaket för ett år (E-ARK SIP, FGS Paketstruktur 2.0)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("organisation", help="förbundets adress (slug)")
        parser.add_argument("year", type=int)
        parser.add_argument("--organ", help="bara detta organ (namn)")
        parser.add_argument("--output", required=True, help="en mapp, eller en fil som slutar på .zip eller .tar")
        parser.add_argument("--validate", action="store_true", help="kontrollera paketet innan det lämnas")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Inget förbund med adressen {options['organisation']!r}.")
        organ = None
        if options["organ"]:
            organ = Organ.objects.filter(organisation=organisation, name=options["organ"]).first()
            if organ is None:
                raise CommandError(f"{organisation.name} har inget organ {options['organ']!r}.")
        output = Path(options["output"])
        kind = output.suffix.lower() if output.suffix.lower() in (".zip", ".tar") else "folder"
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="arkivpaket-") as scratch:
            target = output if kind == "folder" else Path(scratch)
            target.mkdir(parents=True, exist_ok=True)
            built = package_build(organisation=organisation, year=options["year"], organ=organ, target=target)
            if options["validate"]:
                errors = validate_package(built.root)
                if errors:
                    for error in errors:
                        self.stderr.write(error)
                    raise CommandError(f"Paketet klarar inte kontrollen ({len(errors)} fel).")
            if kind != "folder":
                output.parent.mkdir(parents=True, exist_ok=True)
                with output.open("wb") as out:
                    (write_zip if kind == ".zip" else write_tar)(built, out)
            where = built.root if kind == "folder" else output
        for item in built.left_out:
            self.stdout.write(f"Utelämnat: {item['what']}: {item['why']}")
        size = where.stat().st_size if kind != "folder" else built.data_bytes
        self.stdout.write(
            f"{where}: {built.meetings} sammanträden, {built.notices} anslag, {len(built.files)} filer, "
            f"{size} byte, {time.monotonic() - started:.1f} s"
            + (", kontrollerat" if options["validate"] else "")
        )
