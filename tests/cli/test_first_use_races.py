"""First use by many processes at once (issue 11, item 2): the schema is made once, under a lock,
and every process's write is kept. Real processes against a fresh database, SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess

import pytest
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
        assert query(url, "SELECT COUNT(*) FROM backstride_profile") in ([(0,)], [(1,)])
        duplicated = query(
            url, "SELECT app, name FROM django_migrations GROUP BY app, name HAVING COUNT(*) > 1"
        )
        assert duplicated == []
        assert query(url, "SELECT COUNT(*) FROM django_migrations WHERE app = 'backstride'")[0][0] >= 10
    key = (tmp_path / "data" / "secret_key").read_text()
    assert len(key.strip()) >= 50
