"""Email domains an organisation lets its people join from: parsing the admin's list, and the
public mail providers that may never be listed (anyone can have an address there)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# Free or public mailbox providers: an address there proves nothing about an employer.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "fastmail.com",
        "fastmail.fm",
        "gmail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "googlemail.com",
        "hey.com",
        "hotmail.co.uk",
        "hotmail.com",
        "hotmail.fr",
        "icloud.com",
        "live.com",
        "mac.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "msn.com",
        "outlook.com",
        "pm.me",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "tutanota.com",
        "web.de",
        "yahoo.co.uk",
        "yahoo.com",
        "yahoo.fr",
        "yandex.com",
        "yandex.ru",
        "zoho.com",
        "163.com",
        "126.com",
    }
)

_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def is_public(domain: str) -> bool:
    return domain in PUBLIC_MAIL_DOMAINS


def parse(text: str) -> tuple[list[str], list[str]]:
    """The admin's list (commas, spaces or lines; a leading "@" is dropped) as lower-case
    domains without repeats, and one message per domain that cannot be listed."""
    domains: list[str] = []
    errors: list[str] = []
    for raw in re.split(r"[\s,;]+", text.strip()):
        domain = raw.strip().lower().lstrip("@").rstrip(".")
        if not domain or domain in domains:
            continue
        if not _DOMAIN.match(domain):
            errors.append(_("“%(d)s” is not an email domain (like example.com).") % {"d": raw})
        elif is_public(domain):
            errors.append(
                _("%(d)s is a public mail provider: anyone can have an address there.")
                % {"d": domain}
            )
        else:
            domains.append(domain)
    return domains, errors


def listed(join_domains: str) -> list[str]:
    return join_domains.split()
