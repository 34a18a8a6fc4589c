"""The demo organisations: Kestrel Freight and Riverside Library Co-op, their people, OKRs and
academy progress. Listed last in INSTALLED_APPS and imported by no other app; it is reached only
through `manage.py seed_demo` and `manage.py demo_accounts`."""
