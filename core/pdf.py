"""Safe PDF rendering: HTML that may hold user text in, a tagged PDF out.

Every PDF Covenant makes (QBR packs, sourcing evaluation summaries) goes
through ``render_pdf``. What a user typed (a breach's root cause, a meeting's
minutes) reaches the HTML through Django's autoescaping templates, so it is
text, never markup; this module is the second wall, for the day a template
forgets it:

* ``SafeURLFetcher`` is the only way WeasyPrint reads anything. It answers
  ``data:`` URLs and the app's own static files (read from disk through the
  staticfiles finders, or ``STATIC_ROOT``), and refuses everything else:
  ``file:``, ``http:``, ``https:``, ``ftp:`` and any other path, so no local
  file and no network address is ever read. Nothing is fetched over the
  network, hence no redirect is ever followed.
* Attachments are dropped: ``<link rel="attachment">`` or ``<a rel=attachment>``
  would embed a fetched file in the PDF; the rendered document's attachment
  list is emptied before writing.
* The PDF is PDF/UA-1 (tagged, accessible) with the document's title and
  language taken from ``<title>`` and ``<html lang>``.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint logs every rendering step at INFO (its import parses stylesheets
# too); a worker rendering reports all day would log little else. Its warnings
# (a refused URL) still get through. Set before the import below.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

logger = logging.getLogger(__name__)

# Relative URLs in the HTML (``/static/reports/qbr.css``) resolve against this
# base; it names no real host and the fetcher only ever maps it to the disk.
BASE_URL = "https://covenant.static.invalid/"
PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    """A URL the PDF renderer will not fetch."""


def static_file_for(url: str) -> Path | None:
    """The file on disk behind a static URL of the app, or None when it is not one.

    ``url`` must be ``BASE_URL`` + ``STATIC_URL`` + a relative path without
    ``..`` segments; the file is looked up like ``collectstatic`` would find it.
    """
    static_prefix = BASE_URL.rstrip("/") + "/" + settings.STATIC_URL.lstrip("/")
    if not url.startswith(static_prefix):
        return None
    relative = unquote(urlsplit(url[len(static_prefix) :]).path)
    if not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative:
        return None
    if ".." in relative.split("/") or posixpath.normpath(relative) != relative:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    root = getattr(settings, "STATIC_ROOT", None)
    if root:
        candidate = (Path(root) / relative).resolve()
        if candidate.is_file() and Path(root).resolve() in candidate.parents:
            return candidate
    return None


class SafeURLFetcher(URLFetcher):
    """WeasyPrint's fetcher narrowed to ``data:`` URLs and the app's static files.

    ``refused`` lists every URL it turned down (tests and logs read it).
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return _data_response(url)
        path = static_file_for(url)
        if path is None:
            self.refused.append(url)
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise RefusedURL(f"Refused: {url[:200]}")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )


def _data_response(url: str) -> URLFetcherResponse:
    """Decode a ``data:`` URL in-process (no urllib handler, no I/O)."""
    header, _, payload = url[5:].partition(",")
    parts = header.split(";")
    mime = parts[0] or "text/plain"
    body = base64.b64decode(payload) if "base64" in parts[1:] else unquote(payload).encode()
    return URLFetcherResponse(url, body, {"Content-Type": mime})


def render_pdf(html: str) -> bytes:
    """``html`` (a whole document, user text already escaped) as PDF/UA-1 bytes."""
    fetcher = SafeURLFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    document.metadata.attachments = []  # never embed a file named by the HTML
    return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=None)
