"""Signals of the accounts layer, for the layers above it to act on (the API revokes the
person's tokens): accounts imports nothing from them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `user` after a person set a new password (reset link or change form): every
# credential issued before, other than the session that made the change, stops working.
password_changed = Signal()
