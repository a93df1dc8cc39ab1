"""The public addresses that pages and feeds repeat for many rows, reversed once each
(config/routes.py): a minutes page, an association's years, one year of its minutes."""

from __future__ import annotations

from config.routes import Route

MINUTES_DETAIL = Route("public:minutes_detail", ("forsta-prov", 2001, 90001), ("andra-prov", 2002, 90002))
MINUTES_YEARS = Route("public:minutes_years", ("forsta-prov",), ("andra-prov",))
MINUTES_YEAR = Route("public:minutes_year", ("forsta-prov", 2001), ("andra-prov", 2002))
