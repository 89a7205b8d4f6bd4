"""Where notices may be posted: the check against server-side request forgery.

A receiver's URL is checked when the subscription is made and again before every delivery, after its
host name is resolved: the delivery then connects to the very address that was checked, so a name that
resolves elsewhere a second later (DNS rebinding) changes nothing. Loopback, private, link-local,
multicast, reserved and unspecified addresses are refused unless their network is in
``NOTICES_ALLOWED_NETWORKS``; ``NOTICES_ALLOW_LOOPBACK`` (development, tests) admits loopback only.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

from zone.errors import ValidationFailed

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(ValueError):
    """The URL is not one notices may be posted to (its message says why, in English, for the log)."""


@dataclass(frozen=True)
class Target:
    """A checked receiver: where to connect (``address``), and what to call it (``host``, for Host and TLS)."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for text in current_app.config.get("NOTICES_ALLOWED_NETWORKS") or ():
        networks.append(ipaddress.ip_network(text.strip(), strict=False))
    return networks


def address_allowed(address: Address) -> bool:
    """Whether a delivery may connect to ``address`` under this deployment's settings."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in _allowed_networks()):
        return True
    if address.is_loopback:
        return bool(current_app.config.get("NOTICES_ALLOW_LOOPBACK"))
    return not (address.is_private or address.is_link_local or address.is_multicast or address.is_reserved
                or address.is_unspecified or not address.is_global)


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL without credentials; UnsafeTarget otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeTarget(f"not a URL: {error}") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeTarget("only http:// and https:// URLs with a host")
    if parts.username or parts.password:
        raise UnsafeTarget("no credentials in the URL")
    if parts.fragment:
        raise UnsafeTarget("no fragment")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def resolve(url: str) -> Target:
    """Check ``url`` and resolve its host; the first allowed address, or UnsafeTarget when any is refused.

    Every address the name resolves to must be allowed: a name with one public and one private address
    is refused, since which one a connection takes is not ours to choose.
    """
    scheme, host, port, path = parse(url)
    if scheme == "http" and not current_app.config.get("NOTICES_ALLOW_LOOPBACK") and not _allowed_networks():
        raise UnsafeTarget("plain http is accepted only for local receivers in development")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeTarget(f"the host does not resolve: {error}") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise UnsafeTarget("the host does not resolve")
    refused = [str(a) for a in addresses if not address_allowed(a)]
    if refused:
        raise UnsafeTarget(f"{host} resolves to an address notices may not reach ({', '.join(refused)})")
    if scheme == "http" and not all(a.is_loopback or any(a in n for n in _allowed_networks()) for a in addresses):
        raise UnsafeTarget("plain http is accepted only for loopback or allow-listed receivers")
    return Target(scheme=scheme, host=host, port=port, path=path, address=str(addresses[0]))


def check_subscription_url(url: str) -> None:
    """422 naming the ``url`` field when notices may not be posted to ``url``."""
    try:
        resolve(url)
    except UnsafeTarget as error:
        raise ValidationFailed(
            _l("Notices cannot be sent to this address."),
            fields={"url": [_l("Give an https address of a public server (%(why)s).", why=str(error))]},
        ) from None
