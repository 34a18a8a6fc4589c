"""Audit actions that code outside okrs reads back (the academy counts grades as evidence of
practice). Writer and readers share the constant, so a rename cannot silently break the count."""

KEY_RESULT_GRADED = "okrs.key_result.graded"
