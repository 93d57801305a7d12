"""The app's navigation in one place: which pages are tabs, which tab each page belongs to.

On a phone the five ``on_phone`` tabs make the bottom tab bar and the rest sit behind More; on a
desktop the top bar shows them all. base.html draws both from ``nav_tabs`` (one list, so exactly one
link carries aria-current="page"), and the More page lists the ``purpose`` of each tab it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str
    on_phone: bool = False  # one of the five phone tabs; otherwise reached through More
    purpose: str = ""  # the More page's one line on what the page is for
    clinic_only: bool = False  # a page of clinic mode (404 in local mode): listed only there


# fmt: off
TABS: tuple[Tab, ...] = (
    Tab("today", "Today", "dashboard", on_phone=True),
    Tab("diary", "Diary", "check_in", on_phone=True),
    Tab("plan", "Plan", "plan", on_phone=True),
    Tab("check", "Check", "check_intro", on_phone=True),
    Tab("history", "History", "history",
        purpose="Your past checks, disability scores and activity ratings."),
    Tab("activities", "Activities", "activities",
        purpose="Your runs: import watch files or log one by hand."),
    Tab("shoes", "Shoes", "shoes",
        purpose="The km in each pair and when to replace them."),
    Tab("experiments", "Experiments", "experiments",
        purpose="Change one thing for two weeks and see whether your pain differs."),
    Tab("triggers", "Triggers", "triggers",
        purpose="What went with your flare-ups in your own data, and how to test it."),
    Tab("exercises", "Exercises", "exercises",
        purpose="Every exercise in the plans, with pictures and how to do it."),
    Tab("form", "Form check", "gait_list",
        purpose="Film a few seconds of running and see your running form."),
    Tab("rmdq", "Disability score", "rmdq",
        purpose="The Roland-Morris questionnaire: how much your back limits you."),
    Tab("report", "Report", "report",
        purpose="A report of your checks, pain, runs and plan to hand to your physio or doctor."),
    Tab("data", "Your data", "data",
        purpose="Export all your data, restore it, back it up, or delete it."),
    Tab("sharing", "Sharing", "sharing", clinic_only=True,
        purpose="Who sees your records: invite your physio, stop sharing, and every look they took."),
    Tab("settings", "Settings", "settings",
        purpose="Your country, for the right emergency number, and km or miles."),
    Tab("sources", "Sources", "sources",
        purpose="The studies and guidelines behind every piece of advice."),
    Tab("more", "More", "more", on_phone=True),
)
# fmt: on
TAB_KEYS = frozenset(tab.key for tab in TABS)
# A clinician's or administrator's navigation (clinic mode): their pages are about other people's
# records, reached from the caseload; a runner's tabs would lead only to "not found".
CLINICIAN_TABS: tuple[Tab, ...] = (Tab("caseload", "Caseload", "caseload"),)
# A clinic administrator's: the clinic's backups (accounts are made on the server's command line).
ADMIN_TABS: tuple[Tab, ...] = (Tab("backups", "Backups", "data_backup"),)

# The tab each page belongs to, by url name: a tab's own page and the pages reached from it.
SECTION_OF_PAGE: dict[str, str] = {
    **{tab.url_name: tab.key for tab in TABS},
    "check_question": "check",
    "check_result": "check",
    "delete_day": "diary",
    "experiment_stop": "experiments",
    "trigger_experiment": "triggers",
    "plan_done": "plan",
    "plan_session": "plan",
    "plan_session_done": "plan",
    "exercise": "exercises",
    "outcomes": "history",
    "activity": "activities",
    "upload": "activities",
    "new_run": "activities",
    "edit_run": "activities",
    "activity_rpe": "activities",
    "activity_delete": "activities",
    "activity_shoe": "activities",
    "import_job": "activities",
    "gait_upload": "form",
    "gait_check": "form",
    "gait_box": "form",
    "gait_delete_video": "form",
    "gait_delete": "form",
    "report_pdf": "report",
    "data_export": "data",
    "data_restore": "data",
    "data_backup": "data",
    "data_delete": "data",
    "sharing_invite": "sharing",
    "sharing_end": "sharing",
}


@dataclass(frozen=True)
class NavLink:
    tab: Tab
    url: str
    current: bool  # this tab is the current page (or the page's section): aria-current="page"
    more_holds_current: bool  # the More tab, on a page that lives behind More (marked on phones)

    @property
    def key(self) -> str:
        return self.tab.key

    @property
    def label(self) -> str:
        return self.tab.label

    @property
    def on_phone(self) -> bool:
        return self.tab.on_phone


def current_section(request: HttpRequest) -> str | None:
    """The tab of the page being shown; None for a page in no tab (home, an error page)."""
    match = getattr(request, "resolver_match", None)
    url_name = match.url_name if match is not None else None
    if url_name and url_name.startswith(("clinic_", "caseload")):
        return "caseload"
    if url_name == "data_backup" and settings.MODE == "clinic":
        return "backups"
    return SECTION_OF_PAGE.get(url_name or "")


def nav_links(request: HttpRequest) -> list[NavLink]:
    section = current_section(request)
    behind_more = section is not None and not any(tab.on_phone for tab in TABS if tab.key == section)
    return [
        NavLink(
            tab=tab,
            url=reverse(tab.url_name),
            current=tab.key == section,
            more_holds_current=tab.key == "more" and behind_more,
        )
        for tab in _tabs_of(request)
    ]


def _tabs_of(request: HttpRequest) -> tuple[Tab, ...]:
    """A runner's tabs; in clinic mode a clinician's or an administrator's own."""
    user = getattr(request, "user", None)
    if settings.MODE != "clinic" or user is None or not user.is_authenticated:
        return shown_tabs()
    from backstride.services.accounts import role_of

    role = role_of(user)
    if role == "clinician":
        return CLINICIAN_TABS
    if role == "clinic_admin":
        return ADMIN_TABS
    return shown_tabs()


def more_tabs() -> list[Tab]:
    """The pages the More page lists: every tab that is not one of the phone's five."""
    return [tab for tab in shown_tabs() if not tab.on_phone]


def shown_tabs() -> tuple[Tab, ...]:
    """The tabs of this mode: clinic-only pages are not offered in local mode."""
    if settings.MODE == "clinic":
        return TABS
    return tuple(tab for tab in TABS if not tab.clinic_only)
