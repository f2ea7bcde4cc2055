"""A pytest plugin (``-p config.pytest_env`` in pyproject.toml): this process is a test run.

Loaded before pytest-django reads the settings, it sets ``COVENANT_TESTING=1``,
which ``config.settings`` reads into ``TESTING`` (fast password hashing, a
development secret, the ``testserver`` host). Worker and server processes a
test starts inherit it. Nothing else decides that Covenant is under test.
"""

import os

os.environ["COVENANT_TESTING"] = "1"
