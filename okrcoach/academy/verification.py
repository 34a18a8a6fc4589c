"""Public certificate verification. A certificate's code is unguessable and global, and it is
the proof: whoever holds it may see the name, course, dates and status. This is the one academy
read that crosses organisations, kept in its own module so the tenancy scan can allow it alone."""

from __future__ import annotations

from .models import Certificate


def get_certificate_by_code(code: str) -> Certificate | None:
    return Certificate.all_orgs.filter(code=code.strip().upper()[:32]).first()
