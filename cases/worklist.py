"""The staff home page's worklist: what is waiting for this user, section by section, with counts and
links to the filtered list behind each.

Each app contributes the sections it owns by registering a source here from its own `worklist.py`
(autodiscovered like admin.py), so cases never imports vetting or hotline. A source gets the user and
today and returns the sections it has already filtered by what that user may see, through its app's
selectors: a section the user's roles do not call for is simply not returned. Each section costs a
fixed number of queries (a count and the first few rows), however large the data."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

ROWS_SHOWN = 5


@dataclass(frozen=True)
class WorklistRow:
    text: str
    url: str = ""
    note: str = ""  # e.g. "Regulation 19 report due 3 Mar 2027"
    overdue: bool = False


@dataclass(frozen=True)
class WorklistSection:
    key: str  # stable, for tests and anchors
    title: str
    count: int
    url: str  # the filtered list behind the count
    link_text: str
    rows: list[WorklistRow] = field(default_factory=list)
    order: int = 100  # lower comes first on the page


Source = Callable[..., Iterable[WorklistSection]]
_sources: list[Source] = []
_discovered = False


def worklist_source(fn: Source) -> Source:
    _sources.append(fn)
    return fn


def worklist_for(*, user, today) -> list[WorklistSection]:
    global _discovered
    if not _discovered:
        autodiscover_modules("worklist")
        _discovered = True
    sections = [section for source in _sources for section in source(user=user, today=today)]
    return sorted(sections, key=lambda s: (s.order, s.title))


def section_from(qs, *, key, title, url, link_text, row, order=100) -> WorklistSection:
    """A section from a queryset the source's selector already filtered: one count, one page of rows."""
    return WorklistSection(
        key=key,
        title=title,
        count=qs.count(),
        url=url,
        link_text=link_text,
        rows=[row(obj) for obj in qs[:ROWS_SHOWN]],
        order=order,
    )


@worklist_source
def _casework(*, user, today):
    from django.urls import reverse
    from django.utils.formats import date_format

    from . import selectors
    from .roles import Role, user_roles

    roles = user_roles(user)
    sections = []
    if roles & {Role.INVESTIGATOR, Role.SUPERVISOR}:

        def case_row(case):
            due = selectors.case_next_timeliness_due(case)
            return WorklistRow(
                f"{case.reference}: {case.subject.full_name} — {case.get_status_display()}",
                reverse("cases:case_detail", args=[case.public_id]),
                f"Regulation 19 report due {date_format(due, 'j M Y')}",
                overdue=due < today,
            )

        sections.append(
            section_from(
                selectors.my_open_cases(user=user),
                key="my_cases",
                title="My open cases",
                url=reverse("cases:my_work"),
                link_text="All my open cases",
                row=case_row,
                order=10,
            )
        )
        sections.append(
            section_from(
                selectors.my_onyx_reviews_to_decide(user=user),
                key="my_onyx_reviews",
                title="Onyx reviews allocated to me",
                url=f"{reverse('cases:review_list')}?mine=1",
                link_text="All Onyx reviews allocated to me",
                row=lambda r: WorklistRow(
                    f"{r.reference}: {r.subject.full_name} — {r.get_status_display()}",
                    reverse("cases:review_detail", args=[r.public_id]),
                ),
                order=30,
            )
        )
    if roles & {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER}:
        # Regulation 19(1)-(2): reported to the local policing body at 12 months, then every 6 months.
        sections.append(
            section_from(
                selectors.cases_due_timeliness_report(user=user, today=today),
                key="timeliness",
                title="Regulation 19 reports due",
                url=reverse("cases:timeliness"),
                link_text="All regulation 19 reports due",
                row=lambda c: WorklistRow(
                    f"{c.reference}: {c.subject.full_name}",
                    reverse("cases:case_detail", args=[c.public_id]),
                    f"Came to notice {date_format(c.came_to_notice_on, 'j M Y')}",
                    overdue=True,
                ),
                order=20,
            )
        )
    if Role.SUPERVISOR in roles:
        # Regulation 11: a suspension is reviewed by the appropriate authority while it lasts.
        sections.append(
            section_from(
                selectors.suspensions_due_review(user=user, today=today),
                key="suspensions",
                title="Suspensions and restricted duties due review",
                url=f"{reverse('cases:my_work')}#suspensions",
                link_text="All suspension reviews due",
                row=lambda s: WorklistRow(
                    f"{s.officer.full_name} ({s.officer.staff_number})",
                    reverse("cases:officer_detail", args=[s.officer.public_id]),
                    f"Review due {date_format(s.next_review_due, 'j M Y')}",
                    overdue=s.overdue,
                ),
                order=25,
            )
        )
    if Role.PANEL_REVIEWER in roles:
        sections.append(
            section_from(
                selectors.panel_queue(user=user),
                key="panel_reviews",
                title="Reviews waiting for my verdict",
                url=f"{reverse('cases:review_list')}?status=with_panel",
                link_text="All my panel reviews",
                row=lambda r: WorklistRow(
                    f"{r.reference}: {r.get_decision_display() or r.get_status_display()}",
                    reverse("cases:review_detail", args=[r.public_id]),
                ),
                order=10,
            )
        )
    return sections
