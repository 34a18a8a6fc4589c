"""Secrets handed to a person (invitation links, API tokens) are stored only as a hash."""

from __future__ import annotations

import hashlib


def hash_token(raw: str) -> str:
    """SHA-256 of a secret: enough for long random tokens, which need no salt or stretching."""
    return hashlib.sha256(raw.encode()).hexdigest()
