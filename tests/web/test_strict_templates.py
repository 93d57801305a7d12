"""Templates in tests fail on a name that is not there (tests/strict_templates.py, set for every test
in tests/conftest.py): a key renamed in a service result fails a test instead of blanking a page."""

from __future__ import annotations

import pytest
from django.template import engines
from tests.cases import SELF_MANAGE
from tests.strict_templates import MissingTemplateVariable

from backstride.services.checks import check_symptoms
from backstride.services.plan import plan_view
from backstride.services.users import local_user
from backstride.web.views import plan as plan_views


def render(text: str, context: dict[str, object]) -> str:
    return engines["django"].from_string(text).render(context)


def test_a_misspelled_key_fails_and_the_right_one_renders():
    plan = {"week_start": "2026-12-07"}
    assert render("{{ plan.week_start }}", {"plan": plan}) == "2026-12-07"
    with pytest.raises(MissingTemplateVariable, match=r"plan\.week_strat"):
        render("{{ plan.week_strat }}", {"plan": plan})
    with pytest.raises(MissingTemplateVariable, match=r"plan\.week_strat"):
        render("{{ plan.week_strat|default:'-' }}", {"plan": plan})  # a filter does not hide it


def test_an_optional_value_may_still_be_tested_with_if():
    assert render("{% if plan.blocked %}blocked{% else %}open{% endif %}", {"plan": {}}) == "open"
    assert render("{% for day in plan.days %}x{% empty %}none{% endfor %}", {"plan": {}}) == "none"


@pytest.mark.django_db
def test_the_plan_page_fails_when_a_key_of_the_service_result_is_renamed(client, monkeypatch):
    check_symptoms(SELF_MANAGE, local_user())
    assert client.get("/plan/").status_code == 200

    def renamed(*args: object) -> dict[str, object]:
        data = plan_view(*args)
        return {("starts" if key == "week_start" else key): value for key, value in data.items()}

    monkeypatch.setattr(plan_views, "plan_view", renamed)
    with pytest.raises(MissingTemplateVariable, match=r"plan\.week_start"):
        client.get("/plan/")
