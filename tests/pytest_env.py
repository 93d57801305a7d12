"""Loaded with `-p tests.pytest_env` (pyproject addopts), before pytest-django reads the settings:
tests never touch the real user-data folder or database."""

import os
import tempfile

os.environ.setdefault("BACKSTRIDE_DATA_DIR", tempfile.mkdtemp(prefix="backstride-tests-"))
