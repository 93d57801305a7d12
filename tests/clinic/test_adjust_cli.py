"""`backstride adjust add|list|end` (issue 15 item 4): a clinician's plan changes from the command line,
and `backstride plan --format json` listing them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tests.cases import SELF_MANAGE

from backstride.cli import main
from backstride.services import sharing
from backstride.services.checks import check_symptoms
from backstride.storage.models import CareLink, PlanAdjustment

from .conftest import account

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]


@pytest.fixture
def shared(clinic):
    physio, runner = account("dr_lee", "clinician"), account("anna")
    check_symptoms(SELF_MANAGE, runner)
    CareLink.objects.create(runner=runner, clinician=physio)
    return physio, runner


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_local_mode_refuses():
    code, output = run("adjust", "list", "--as", "dr_lee", "--runner", "anna")
    assert code == 2 and "adjust list is for clinic mode" in output


def test_add_list_and_end(shared):
    _, runner = shared
    code, output = run(
        "adjust", "add", "--as", "dr_lee", "--runner", "anna", "--kind", "dose",
        "--exercise", "dead-bug", "--sets", "3", "--reps", "6", "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    made = json.loads(output)
    assert made["rule_id"] == f"PHYSIO-{made['id']}" and made["sets"] == 3 and made["active"] is True
    assert made["words"].startswith("Set by your physio (dr_lee): ")
    code, output = run(
        "adjust", "add", "--as", "dr_lee", "--runner", "ANNA", "--kind", "note", "--note", "Easy"
    )
    assert code == 0 and "anna reads: Set by your physio (dr_lee): Easy." in output.replace("ANNA", "anna")

    code, output = run("adjust", "list", "--as", "dr_lee", "--runner", "anna", "--format", "json")
    listed = json.loads(output)
    assert code == 0 and [row["kind"] for row in listed["adjustments"]] == ["note", "dose"]

    from backstride.config import local_today
    from backstride.services.plan import plan_view

    view = plan_view(runner, local_today(), local_today())
    assert {a["kind"] for a in view["adjustments"]} == {"dose", "note"}

    code, output = run("adjust", "end", str(made["id"]), "--as", "dr_lee", "--runner", "anna")
    assert code == 0 and f"Ended PHYSIO-{made['id']}" in output
    assert PlanAdjustment.objects.get(pk=made["id"]).ended_at is not None
    code, output = run("adjust", "end", str(made["id"]), "--as", "dr_lee", "--runner", "anna")
    assert code == 1 and "no plan change number" in output


def test_plan_json_of_the_runner_lists_the_adjustments(shared):
    run("adjust", "add", "--as", "dr_lee", "--runner", "anna", "--kind", "note", "--note", "Hello")
    # The runner's own `plan --format json` (clinic mode has no local user: read through the service
    # the command calls, with the same JSON).
    from backstride.config import local_today
    from backstride.services.plan import plan_view

    _, runner = shared
    data = json.loads(json.dumps(plan_view(runner, local_today(), local_today()), default=str))
    assert data["adjustments"][0]["words"] == "Set by your physio (dr_lee): Hello."
    assert any(note["physio"] for note in data["notes"])


def test_refusals_say_what_to_do(shared):
    physio, runner = shared
    code, output = run(
        "adjust", "add", "--as", "dr_lee", "--runner", "anna", "--kind", "replace",
        "--exercise", "dead-bug", "--to", "dead-bug",
    )  # fmt: skip
    assert code == 2 and "same exercise" in output
    code, output = run("adjust", "add", "--as", "dr_lee", "--runner", "ben", "--kind", "note", "--note", "x")
    assert code == 1 and "no runner named 'ben'" in output
    code, output = run("adjust", "list", "--as", "anna", "--runner", "anna")
    assert code == 2 and "acts as a clinician" in output
    sharing.end(runner, CareLink.objects.get(runner=runner, clinician=physio).pk)
    code, output = run("adjust", "add", "--as", "dr_lee", "--runner", "anna", "--kind", "note", "--note", "x")
    assert code == 1 and "no runner named 'anna'" in output
    assert not PlanAdjustment.objects.exists()
