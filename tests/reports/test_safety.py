"""Safe rendering: what a user typed pulls nothing into the PDF (core.pdf)."""

from __future__ import annotations

import http.server
import threading

import pytest

from core.pdf import SafeURLFetcher, render_pdf
from reports import gather, render
from slas.models import Breach
from tests.reports.conftest import pdf_text


@pytest.fixture
def listener():
    """A local HTTP server that records every request it gets (there must be none)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"body { background: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"port": server.server_address[1], "hits": hits}
    server.shutdown()


def test_injected_markup_in_a_root_cause_pulls_nothing_in(acme, listener, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    port = listener["port"]
    attack = (
        f'<img src="file:///etc/passwd"><img src="file://{secret}">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x">'
        f'<link rel="attachment" href="file://{secret}">'
        f'<div style="background: url(file:///etc/passwd)">x</div>'
        f"<style>body {{ background: url(http://127.0.0.1:{port}/y) }}</style>"
    )
    Breach.objects.update(root_cause=attack, corrective_action=f"url(file://{secret})")
    snap = gather.vendor_snapshot(vendor=acme["vendor"], quarter="2026Q3", edition="internal")
    data = render.render(snap)
    text = pdf_text(data)
    assert listener["hits"] == []
    assert "root:" not in text and "TOP-SECRET-CONTENT" not in text
    assert "<img" in text  # shown as the text it is
    assert b"/EmbeddedFile" not in data


def test_the_fetcher_refuses_all_but_data_and_static(listener, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    port = listener["port"]
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>T</title>'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
        f'<link rel="stylesheet" href="file://{secret}">'
        '<link rel="stylesheet" href="/static/../../../../etc/passwd">'
        f'<link rel="attachment" href="http://127.0.0.1:{port}/att">'
        f'<style>@import url("http://127.0.0.1:{port}/i.css"); '
        "p { background: url(data:image/gif;base64,R0lGODlhAQABAAAAACw=) }</style>"
        f'</head><body><p>ok</p><img src="https://127.0.0.1:{port}/i.png" alt="i">'
        '<img src="/static/reports/qbr.css" alt="css"></body></html>'
    )
    fetcher = SafeURLFetcher()
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    assert (
        b"@page" in fetcher.fetch("https://covenant.static.invalid/static/reports/qbr.css").read()
    )
    for url in (
        f"http://127.0.0.1:{port}/a",
        f"file://{secret}",
        "https://covenant.static.invalid/static/../etc/passwd",
        "https://covenant.static.invalid/etc/passwd",
        "ftp://127.0.0.1/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    data = render_pdf(html)
    assert listener["hits"] == []
    assert "TOP-SECRET" not in pdf_text(data)
    assert b"/EmbeddedFile" not in data
