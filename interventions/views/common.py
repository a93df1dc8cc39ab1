"""What the intervention pages share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
