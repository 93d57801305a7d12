"""The Triggers page, "What goes with my flare-ups" (issue 16 item 5): the runner's own findings ranked,
each with its sentence, its days, a chart and the raw numbers one tap away for a clinician; what is
still missing before anything is said; and a button that starts the two-week experiment a finding
suggests. The report is computed (and cached) by services.triggers once per request."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from backstride.config import local_today
from backstride.core import experiments as kinds
from backstride.core.text import counted
from backstride.core.triggers import Finding, TriggerReport
from backstride.core.triggers.analysis import FAMILY_ALPHA
from backstride.core.triggers.outcomes import OUTCOMES
from backstride.services.errors import InputRefused
from backstride.services.experiments import start_experiment, status
from backstride.services.trigger_charts import finding_chart
from backstride.services.triggers import experiment_for, factor_of, report, together

from .common import owner_of

NOT_PROOF = "These are associations in your own data, not proof of cause."


SUPERSCRIPT = str.maketrans(
    "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
)


def _p(value: float) -> str:
    """A p-value as a clinician reads it: 0.012, or 2.0 x 10^-9 for a very small one."""
    if value >= 0.001:
        return f"{value:.3f}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa} \u00d7 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def _experiment(finding: Finding) -> dict[str, object] | None:
    key = experiment_for(finding)
    if key is None:
        return None
    kind = kinds.KINDS[key]
    needs_setting = kind.default is None  # switch shoes: the runner names the pair on the experiments page
    rule = kinds.rule_text(kind, "(the pair you name)" if needs_setting else f"{kind.default:g}")
    return {"kind": key, "title": kind.title, "rule": rule, "needs_setting": needs_setting}


def _finding(
    rank: int, finding: Finding, comparisons: int, offered: set[str], note: str
) -> dict[str, object]:
    """One finding's card. ``offered``: the experiment kinds a card above already offers (one button
    each; a later finding that the same experiment tests says so instead)."""
    factor = factor_of(finding.factor)
    outcome = next(o for o in OUTCOMES if o.key == finding.outcome)
    chart = finding_chart(finding)
    lag = finding.lag
    experiment = _experiment(finding)
    repeated = experiment is not None and experiment["kind"] in offered
    if experiment is not None:
        offered.add(str(experiment["kind"]))
    return {
        "rank": rank,
        "title": factor.title,
        "sentence": finding.sentence,
        "together": note,  # what the joint model says of it
        "days": counted(finding.days, "day"),
        "svg": chart.svg if chart else "",
        "chart_text": chart.text if chart else "",
        "experiment": experiment,
        "same_experiment_above": repeated,
        "why": [
            ("Outcome", outcome.words[lag]),
            (
                "Factor",
                f"{factor.title} (yes or no: {factor.per})"
                if factor.binary
                else f"{factor.title} (effect for {factor.per})",
            ),
            ("Lag", "same day" if lag == 0 else counted(lag, "day") + " later"),
            ("Effect", f"{_signed(finding.effect)} {outcome.units}"),
            ("95% interval", f"{_signed(finding.low)} to {_signed(finding.high)} {outcome.units}"),
            ("p", _p(finding.p)),
            ("Holm-adjusted p", _p(finding.p_adjusted)),
            ("Days", str(finding.days)),
        ],
        "method": (
            f"Linear regression of {outcome.words[lag]} on the factor with a linear trend and AR(1) errors; "
            f"Holm correction at {FAMILY_ALPHA:.0%} across {counted(comparisons, 'comparison')}."
        ),
    }


def _context(result: TriggerReport, running: str) -> dict[str, object]:
    comparisons = len(result.tests)
    offered: set[str] = set()
    return {
        "not_proof": NOT_PROOF,
        "ready": result.ready,
        "missing": result.missing,
        "counts": ", ".join(
            (
                counted(result.checkin_days, "morning") + " with a pain rating",
                counted(result.rated_runs, "run") + " with pain rated",
                counted(result.flares, "flare"),
            )
        ),
        "findings": [
            _finding(rank, f, comparisons, offered, together(result, f))
            for rank, f in enumerate(result.findings, start=1)
        ],
        "comparisons": counted(comparisons, "comparison"),
        "alpha": f"{FAMILY_ALPHA:.0%}",
        "left_out": [(factor_of(key).title, reason) for key, reason in sorted(result.left_out.items())],
        # The joint model: each reported factor with the others held constant (as the CLI's "Taken together").
        "together": [effect.sentence for effect in result.joint.effects if effect.sentence],
        "running": running,
        "refused": [],
    }


def _running(request: HttpRequest) -> str:
    """The title of the experiment running now, "" when none (then the buttons can start one)."""
    current = status(owner_of(request), local_today())
    return current.kind.title if current and current.is_open else ""


def _page(request: HttpRequest, refused: list[str] | None = None) -> HttpResponse:
    context = _context(report(owner_of(request), local_today()), _running(request))
    context["refused"] = refused or []
    return render(request, "web/triggers.html", context, status=400 if refused else 200)


@require_GET
def triggers_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
def trigger_experiment(request: HttpRequest) -> HttpResponse:
    """Start the experiment a finding suggests with its usual setting, then show it on the experiments
    page; a kind that needs a setting (the shoes to switch to) opens that page's form filled in."""
    key = request.POST.get("kind", "")
    kind = kinds.KINDS.get(key)
    if kind is not None and kind.default is None:
        return HttpResponseRedirect(f"{reverse('experiments')}?kind={key}#start")
    try:
        made = start_experiment(owner_of(request), key, "", None, local_today())
    except InputRefused as error:
        return _page(request, [text[0].upper() + text[1:] + "." for _, text in error.problems])
    messages.success(
        request,
        f"Started: \u201c{kinds.KINDS[made.kind].title}\u201d for two weeks from {made.start:%-d %b %Y}.",
    )
    return HttpResponseRedirect(reverse("experiments"))
