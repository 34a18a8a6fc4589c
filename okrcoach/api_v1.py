"""The one NinjaAPI under /api/v1, assembled above the apps from the routers they own.

Apps never import this module: they import only the plumbing in okrcoach.api (token auth,
pagination, error schemas), so each app's router can be read and tested with its app."""

from __future__ import annotations

from pathlib import Path

from okrcoach.academy.api import router as academy_router
from okrcoach.api.auth import TokenAuth
from okrcoach.api.errors import install_error_handlers
from okrcoach.api.openapi import DocumentedNinjaAPI
from okrcoach.comms.api import router as comms_router
from okrcoach.growth.api import router as growth_router
from okrcoach.insights.api import router as insights_router
from okrcoach.okrs.api import router as okrs_router
from okrcoach.okrs.api_coach import router as coach_router
from okrcoach.okrs.api_cycles import router as okrs_cycles_router
from okrcoach.okrs.api_teamwork import router as okrs_teamwork_router
from okrcoach.okrs.api_transfer import router as okrs_transfer_router
from okrcoach.orgs.api import router as orgs_router

GUIDE = (Path(__file__).parent / "api" / "guide.md").read_text(encoding="utf-8")

api = DocumentedNinjaAPI(
    title="okrcoach API",
    version="1",
    description=GUIDE,
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", orgs_router)
api.add_router("/", coach_router)
api.add_router("/", academy_router)
api.add_router("/okrs", okrs_router)
api.add_router("/okrs", okrs_cycles_router)
api.add_router("/okrs", okrs_teamwork_router)
api.add_router("/okrs", okrs_transfer_router)
api.add_router("/", comms_router)
api.add_router("/growth", growth_router)
api.add_router("/", insights_router)
install_error_handlers(api)
