"""Shared test paths. (The temporary data folder is set up by tests/pytest_env.py.)"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
ARTIFACTS = REPO_ROOT / "test-artifacts"
