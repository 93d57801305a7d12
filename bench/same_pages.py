"""The pages bench/load.py drives, rendered byte for byte, to prove a speed change changes nothing.

Renders /today/, /plan/ (this week, the weeks around it, a past week and one ahead), /history/,
/activities/ (first, second and last page), /diary/ and /plan.ics over a copy of a filled data folder
(``bench/load.py --fill DIR`` holds the bench's ten years), then writes to it as the bench and a
runner do (diary days saved and edited, plan items ticked and unticked, a red day, a safety answer
that blocks the plan) and renders them all again after every write. Each page is saved to OUT as
``NN-step-page.html`` with the CSRF tokens (random per request) and the calendar's DTSTAMP (the
time of writing) replaced by a fixed mark.

    PYTHONPATH=src .venv/bin/python bench/same_pages.py render DATA_DIR OUT_DIR
    .venv/bin/python bench/same_pages.py compare BEFORE_DIR AFTER_DIR

Render with the code before a change and after it (the same data folder, the same day), then
compare: it lists every page that differs and exits 1 if any does, 0 when all are identical.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")|("X-CSRFToken": ")[^"]+(")')
DTSTAMP = re.compile(r"^DTSTAMP:[0-9TZ]+", re.MULTILINE)  # the calendar file's time of writing
KEY = re.compile(r'name="day" value="([0-9-]+)">\s*<input type="hidden" name="key" value="([^"]+)">')


def _normalise(html: str) -> str:
    html = DTSTAMP.sub("DTSTAMP:NOW", html)
    return CSRF.sub(lambda m: f"{m.group(1) or m.group(3)}CSRF{m.group(2) or m.group(4)}", html)


def _pages(today: date) -> list[tuple[str, str]]:
    monday = today - timedelta(days=today.weekday())
    weeks = {
        "plan-prev": monday - timedelta(days=7),
        "plan-next": monday + timedelta(days=7),
        "plan-past": monday - timedelta(days=35),
        "plan-ahead": monday + timedelta(days=70),
    }
    return [
        ("today", "/today/"),
        ("plan", "/plan/"),
        *((name, f"/plan/?week={week.isoformat()}") for name, week in weeks.items()),
        ("plan-midweek", f"/plan/?week={(monday + timedelta(days=3)).isoformat()}"),
        ("plan-ics", "/plan.ics"),
        ("history", "/history/"),
        ("activities", "/activities/"),
        ("activities-2", "/activities/?page=2"),
        ("activities-last", "/activities/?page=31"),
        ("diary", "/diary/"),
        ("diary-yesterday", f"/diary/?day={(today - timedelta(days=1)).isoformat()}"),
    ]


def render(data_dir: str, out_dir: str) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="backstride-same-"))
    shutil.copytree(data_dir, scratch / "data")
    os.environ["BACKSTRIDE_DATA_DIR"] = str(scratch / "data")
    os.environ["BACKSTRIDE_DB"] = f"sqlite:///{scratch / 'data' / 'backstride.sqlite3'}"
    from backstride import bootstrap

    bootstrap.setup()
    from django.test import Client

    from backstride.config import local_today
    from backstride.core.diary import A8_ITEMS
    from backstride.knowledge.questionnaire import questionnaire_items

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    items = questionnaire_items()
    no_flags = {f"rf_{i}": ("none" if items[i].type == "choice" else "false") for i in A8_ITEMS}
    client = Client(REMOTE_ADDR="127.0.0.1")
    today = local_today()
    step = [0]

    def snapshot(name: str) -> None:
        for page, url in _pages(today):
            response = client.get(url)
            body = response.content.decode()
            text = f"{response.status_code}\n{_normalise(body)}"
            (out / f"{step[0]:02d}-{name}-{page}.html").write_text(text)
        step[0] += 1

    def diary(day: date, pain: int, ran: bool = False, run_pain: int = 2, **flags: str) -> None:
        form: dict[str, Any] = {"day": day.isoformat(), "pain_now": str(pain), "locations": ["central"]}
        form.update(no_flags, ran="yes" if ran else "no")
        form.update({f"rf_{k}": v for k, v in flags.items()})
        if ran:
            form.update(pain_during_run=str(run_pain), pain_after_run=str(run_pain))
        response = client.post("/diary/", form)
        assert response.status_code == 302, (response.status_code, response.content[:2000])

    def tick(done: bool, which: int = 0) -> None:
        keys = KEY.findall(client.get("/today/").content.decode())
        if not keys:
            return
        day, key = keys[min(which, len(keys) - 1)]
        form = {"day": day, "key": key, "done": "1" if done else "0", "next": "/today/"}
        assert client.post("/plan/done/", form).status_code == 302

    snapshot("start")
    diary(today, 2)
    snapshot("today-logged")
    diary(today - timedelta(days=1), 3, ran=True, run_pain=4)
    snapshot("yesterday-ran")
    tick(True)
    tick(True, 3)
    snapshot("ticked")
    tick(False)
    snapshot("unticked")
    diary(today - timedelta(days=9), 1, ran=True, run_pain=1)
    snapshot("older-day")
    diary(today, 4, ran=True, run_pain=8)
    snapshot("today-red")
    diary(today - timedelta(days=2), 3, saddle_numbness="true")
    snapshot("escalated")
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"{len(list(out.iterdir()))} pages written to {out}")
    return 0


def compare(before: str, after: str) -> int:
    old, new = Path(before), Path(after)
    names = sorted({p.name for p in old.iterdir()} | {p.name for p in new.iterdir()})
    differ = 0
    for name in names:
        a, b = old / name, new / name
        if not a.exists() or not b.exists():
            print(f"only in {'after' if not a.exists() else 'before'}: {name}")
            differ += 1
            continue
        if a.read_bytes() != b.read_bytes():
            differ += 1
            print(f"DIFFERS: {name}")
            lines = difflib.unified_diff(
                a.read_text().splitlines(), b.read_text().splitlines(), "before", "after", lineterm="", n=1
            )
            print("\n".join(list(lines)[:16]))
    print(f"{len(names) - differ} of {len(names)} pages identical")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "render":
        raise SystemExit(render(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        raise SystemExit(compare(sys.argv[2], sys.argv[3]))
    raise SystemExit(__doc__)
