"""Writes for OKRs, one module per topic: one function per operation a user would name. Each
takes the acting membership first, runs in one transaction, writes its audit row inside it, and
refuses with `ValidationError` keyed by field (bad input, wrong state), `PermissionDenied` (not
yours) or `versions.StaleEdit` (someone saved since the editor opened the form)."""
