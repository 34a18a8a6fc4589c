"""Journey: a certified manager opens their printable certificate; anyone holding the code,
signed out, can verify it, and the same page says "expired" once the certificate has lapsed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PageChecks
from okrcoach.academy.models import Certificate
from okrcoach.demo.academy import seed_academy
from okrcoach.demo.people import DEMO_PASSWORD, seed_people


@pytest.mark.django_db(transaction=True)
def test_certificate_verification_works_signed_out_and_shows_expired_after_expiry(
    live_server: Any, page: Any, checks: PageChecks
) -> None:
    org = seed_people()
    seed_academy()
    cert = Certificate.objects.for_org(org).get(membership__user__full_name="Samuel Osei")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(cert.membership.user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Academy").click()
    expect(page.get_by_text("Certified")).to_be_visible()
    page.get_by_role("link", name="View certificate").click()
    certificate = page.get_by_role("article", name="Certificate of completion")
    expect(certificate.get_by_text("Samuel Osei")).to_be_visible()
    expect(certificate.get_by_text("OKRs for managers")).to_be_visible()
    expect(certificate.get_by_text("valid", exact=True)).to_be_visible()
    checks.accessible("certificate")
    checks.screenshot("certificate")
    verify_url = certificate.get_by_role("link", name="/certificates/").get_attribute("href")
    assert verify_url and verify_url.endswith(f"/certificates/{cert.code}/")

    page.context.clear_cookies()  # signed out: a stranger with the link
    page.goto(verify_url)
    expect(page.get_by_role("heading", name="Certificate verification")).to_be_visible()
    facts = page.get_by_role("definition")
    expect(facts.filter(has_text="Samuel Osei")).to_have_count(1)
    expect(facts.filter(has_text="OKRs for managers")).to_have_count(1)
    expect(facts.filter(has_text=cert.issued_at.strftime("%-d %B %Y"))).not_to_have_count(0)
    expect(page.get_by_text("valid", exact=True)).to_be_visible()
    # Name, course, dates and status: nothing about the organisation or the scores.
    expect(page.get_by_text("Kestrel Freight")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    checks.accessible("verification (valid)")
    checks.screenshot("verification")

    Certificate.objects.for_org(org).filter(pk=cert.pk).update(
        issued_at=timezone.now() - dt.timedelta(days=400),
        expires_at=timezone.now() - dt.timedelta(days=35),
    )
    page.reload()
    expect(page.get_by_text("expired", exact=True)).to_be_visible()
    expect(page.get_by_text("valid", exact=True)).to_have_count(0)
    checks.accessible("verification (expired)")
    checks.screenshot("verification_expired")
