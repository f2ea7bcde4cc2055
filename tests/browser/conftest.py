"""Browser tests. The fixtures (and the skip without Chromium) live in
``tests/browser/fixtures.py``, loaded once for the whole run by ``tests/conftest.py``."""
