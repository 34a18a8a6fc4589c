"""Domain-free building blocks for the apps' API routers: strict request bodies, pagination and
the one JSON error schema. They sit in core so that every app (orgs included) can build a router;
token auth (okrcoach.api) and the assembled NinjaAPI live above the apps."""
