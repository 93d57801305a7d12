"""First use by many processes at once (issue 11, item 2): the schema is made once, under a lock,
and every process's write is kept. Real processes against a fresh database, SQLite and PostgreSQL."""

from __future__ import annotations

import re
import subprocess

import pytest
from tests.conftest import REPO_ROOT
from tests.databases import CLI, KINDS, cli_env, fresh_database, query

AT_ONCE = 10


@pytest.mark.parametrize("kind", KINDS)
def test_ten_commands_on_a_new_database_at_once_all_succeed_and_all_writes_are_kept(kind, tmp_path):
    with fresh_database(kind, tmp_path) as url:
        env = cli_env(tmp_path, url)  # one new data folder too: its secret key is made once
        processes = [
            subprocess.Popen(
                [*CLI, "log", "pain", "--pain", "3", "--date", f"2024-01-{day:02d}", "--no-red-flags"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for day in range(1, AT_ONCE + 1)
        ]
        results = [(process.communicate(timeout=300), process.returncode) for process in processes]
        for (_, stderr), status in results:
            assert status == 0 and "Traceback" not in stderr, stderr
        assert query(url, "SELECT COUNT(*) FROM backstride_diaryentry") == [(AT_ONCE,)]
        assert query(url, "SELECT COUNT(*) FROM auth_user") == [(1,)]
        # No check and no escalation: nothing reads the profile, so no row is made (none twice, either).
        assert query(url, "SELECT COUNT(*) FROM backstride_profile") == [(0,)]
        duplicated = query(
            url, "SELECT app, name FROM django_migrations GROUP BY app, name HAVING COUNT(*) > 1"
        )
        assert duplicated == []
        migrations = list((REPO_ROOT / "src" / "backstride" / "storage" / "migrations").glob("[0-9]*.py"))
        applied = query(url, "SELECT COUNT(*) FROM django_migrations WHERE app = 'backstride'")
        assert applied == [(len(migrations),)]  # each exactly once
    key = (tmp_path / "data" / "secret_key").read_text()
    assert re.fullmatch(r"[A-Za-z0-9_-]{67}", key.strip())  # secrets.token_urlsafe(50): 50 random bytes
