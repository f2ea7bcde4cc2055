"""Outbound webhook transport: signing, the SSRF guard and one HTTP POST.

Why not ``requests``: it is not a production dependency, and the standard
library's ``http.client`` already does what a webhook needs, including the
two things that matter for safety here:

* **No redirects**: ``http.client`` never follows them; a 3xx is recorded as
  a failed attempt like any other non-2xx answer.
* **The address checked is the address connected to**: the connection's
  ``_create_connection`` hook resolves the host, refuses it when any address
  is private, loopback, link-local, multicast, reserved or unspecified, and
  connects to the very address it checked. Checking a name and then letting
  the socket resolve it again would let a DNS answer change in between (DNS
  rebinding). TLS still verifies the certificate against the host name.

No proxy is used (``http.client`` ignores ``HTTP(S)_PROXY``), so a proxy
cannot turn a refused target into an allowed one.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10
EXCERPT_CHARS = 1000
SIGNATURE_HEADER = "X-Covenant-Signature"
TIMESTAMP_HEADER = "X-Covenant-Timestamp"
EVENT_HEADER = "X-Covenant-Event"
DELIVERY_HEADER = "X-Covenant-Delivery"


class TargetRefused(Exception):
    """The target URL is not allowed (scheme, or a private or reserved address)."""


@dataclass(frozen=True)
class Response:
    """What the receiver answered: the status code and the first characters of the body."""

    status: int
    excerpt: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def sign(*, secret: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` + hex HMAC-SHA256 of the raw body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(*, secret: str, body: bytes, signature: str) -> bool:
    """The receiver's check of ``sign``, in constant time (what an integrator does)."""
    return hmac.compare_digest(sign(secret=secret, body=body), signature)


def address_is_public(address: str) -> bool:
    """Is ``address`` a globally routable unicast address (not private, loopback, link-local…)?"""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve(host: str, port: int, *, allow_private: bool) -> list[tuple]:
    """The addresses of ``host``; ``TargetRefused`` if any is not public (unless allowed).

    Every address must pass, not just the first: a host answering with one
    public and one private address could otherwise be steered to the private one.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host}: {exc}") from exc
    if not allow_private:
        for info in infos:
            address = info[4][0]
            if not address_is_public(address):
                raise TargetRefused(f"{host} resolves to {address}, a non-public address")
    return infos


def check_url(url: str, *, allow_private: bool) -> tuple[str, str, int]:
    """Scheme, host and port of ``url`` once the URL itself is acceptable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("Only http and https targets are allowed.")
    if not parts.hostname:
        raise TargetRefused("The URL names no host.")
    if parts.username or parts.password:
        raise TargetRefused("Credentials in the URL are not allowed; sign with the secret.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused("The URL's port is not valid.") from exc
    return parts.scheme, parts.hostname, port


def check_target(url: str, *, allow_private: bool) -> None:
    """Refuse ``url`` (``TargetRefused``) when saving a subscription, if it is unacceptable."""
    _, host, port = check_url(url, allow_private=allow_private)
    # Unresolvable today is not refused: each delivery resolves and checks again.
    with contextlib.suppress(OSError):
        resolve(host, port, allow_private=allow_private)


def _guarded_connect(*, allow_private: bool):
    """A ``socket.create_connection`` stand-in connecting only to checked addresses."""

    def connect(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
        host, port = address
        last_error: OSError | None = None
        for family, type_, proto, _, sockaddr in resolve(host, port, allow_private=allow_private):
            sock = socket.socket(family, type_, proto)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                last_error = exc
        raise last_error or OSError(f"cannot connect to {host}")

    return connect


def post(*, url: str, body: bytes, headers: dict[str, str], allow_private: bool) -> Response:
    """POST ``body`` to ``url`` once. ``TargetRefused`` for a refused target, ``OSError`` /
    ``http.client.HTTPException`` when the network fails; otherwise the answer, whatever its code.
    """
    path_parts = urlsplit(url)
    scheme, host, port = check_url(url, allow_private=allow_private)
    if scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    conn._create_connection = _guarded_connect(allow_private=allow_private)
    path = path_parts.path or "/"
    if path_parts.query:
        path += "?" + path_parts.query
    try:
        conn.request("POST", path, body=body, headers=headers)
        answer = conn.getresponse()
        excerpt = answer.read(EXCERPT_CHARS * 4).decode("utf-8", "replace")[:EXCERPT_CHARS]
        return Response(status=answer.status, excerpt=excerpt)
    finally:
        conn.close()
