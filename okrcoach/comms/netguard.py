"""Where outgoing webhooks may go (SSRF): never to loopback, private, link-local (the cloud
metadata address 169.254.169.254 among them), multicast, reserved or unspecified addresses,
unless the installation allows private targets (`WEBHOOK_ALLOW_PRIVATE_TARGETS`, for an
on-premises chat server or the tests' receiver on loopback). Link-local and metadata addresses
stay refused even then.

Checked twice: when an endpoint is saved (form and API; a name that does not resolve yet is
accepted, delivery checks again) and at delivery time on the address actually connected to, so
a name that later resolves elsewhere (DNS rebinding) is refused too. Redirects are never
followed."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}

METADATA_NAMES = {"metadata.google.internal", "metadata", "instance-data"}


class RefusedAddress(OSError):
    """The target resolves to an address webhooks may not reach."""


def allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False))


def why_refused(address: str) -> str | None:
    """None when webhooks may reach this IP address, else the reason (for the field error and
    the delivery log)."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA:
        return f"{ip} is a cloud metadata address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return f"{ip} is not a routable address"
    if ip.is_global:
        return None
    if allow_private() and (ip.is_loopback or ip.is_private):
        return None
    kind = "a loopback" if ip.is_loopback else "a private"
    return f"{ip} is {kind} address"


def resolve(host: str, port: int | None) -> list[str]:
    infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str) -> str | None:
    """The reason a URL may not be a webhook target, or None. Every address the name resolves
    to must be allowed; a name that does not resolve (yet) passes (delivery checks again)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        return "The address has no host."
    if host.rstrip(".").lower() in METADATA_NAMES:
        return f"{host} is a cloud metadata address"
    try:
        addresses = resolve(host, parts.port)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    for address in addresses:
        reason = why_refused(address)
        if reason:
            return reason
    return None


def _guarded_connection(
    address: tuple[str, int], timeout: Any = None, source_address: Any = None, **_: Any
) -> socket.socket:
    """socket.create_connection, but only to allowed addresses: resolves the name, refuses it
    when any address is forbidden, and re-checks the peer it actually connected to."""
    host, port = address
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for info in infos:
        reason = why_refused(str(info[4][0]))
        if reason:
            raise RefusedAddress(f"Refused: {reason}")
    last: OSError | None = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            reason = why_refused(str(sock.getpeername()[0]))
            if reason:
                raise RefusedAddress(f"Refused: {reason}")
            return sock
        except RefusedAddress:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last = exc
    raise last or OSError(f"Could not connect to {host}")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTPSConnection, req)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx is the receiver's answer, recorded as a failure; its Location is never fetched."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def opener() -> urllib.request.OpenerDirector:
    """An opener with no proxy, no redirects, and connections only to allowed addresses."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler, _NoRedirects
    )
