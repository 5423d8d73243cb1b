"""The main navigation: one registry of sections, each with the page it opens and who may see it.

Each app registers its own sections from its AppConfig.ready (cases below, its risk engine, vetting,
the hotline, the project's home and dashboard), as it registers its record kinds and risk rules, so
cases names no page of an app above it. A section is shown to whoever may open its page: by default
the access policy its view declares (cases.policy, the same check the view makes), so the menu and
the page cannot disagree; a section may narrow that with a `visible(user)` of its own. The context
processor `nav_context` builds the items one user sees, in `order`.

The sections sit under a few headings (`NavGroup`, registered here: the menu's layout is one decision),
so that the menu of the reader with the most sections still fits one or two rows: each heading opens as a
disclosure (templates/nav.html). A section names its group by key; one that names none, or a group
nobody registered, still shows, under "More". A group with nothing the reader may open is not shown;
a group with one section shows as that section's plain link."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, resolve, reverse
from django.utils.functional import SimpleLazyObject

from .policy import PUBLIC, SIGNED_IN, staff_allowed


@dataclass(frozen=True)
class NavGroup:
    key: str  # unique; registering the same key again replaces the group
    label: str
    order: int


# The group keys the apps name their sections by.
GROUP_HOME = "home"
GROUP_CASES = "cases"
GROUP_PEOPLE = "people"
GROUP_REPORTS = "reports"
GROUP_OVERSIGHT = "oversight"
GROUP_MORE = "more"

_groups: dict[str, NavGroup] = {GROUP_MORE: NavGroup(GROUP_MORE, "More", 1000)}


def nav_group_register(group: NavGroup) -> None:
    _groups[group.key] = group


def nav_groups() -> list[NavGroup]:
    return sorted(_groups.values(), key=lambda g: (g.order, g.key))


@dataclass(frozen=True)
class NavSection:
    key: str  # unique; registering the same key again replaces the section
    label: str
    url_name: str
    order: int
    visible: Callable[[object], bool] | None = None  # visible(user); None: whoever the view admits
    label_for: Callable[[object], str] | None = None  # label_for(user), when the words depend on the reader
    group: str = GROUP_MORE  # a NavGroup's key


_sections: dict[str, NavSection] = {}


def nav_section_register(section: NavSection) -> None:
    _sections[section.key] = section


def nav_sections() -> list[NavSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def _page(url_name: str) -> tuple[str, str, tuple]:
    """The section's URL and the access policy its view declares (a view with none is shown to nobody).

    Both are fixed once the URLconf is loaded, so they are looked up once per process, not on every page
    (a reverse() and a resolve() for each section were most of the menu's cost, issue 18); the cache is
    keyed by what a URL depends on (the URLconf in use and the script prefix). Who may see a section is
    still decided per request, from the user's roles."""
    return _page_lookup(url_name, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=256)
def _page_lookup(url_name: str, urlconf: str | None, script_prefix: str) -> tuple[str, str, tuple]:
    url = reverse(url_name, urlconf=urlconf)
    view = resolve(url, urlconf=urlconf).func
    target = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
    policy = getattr(view, "access_policy", None) or getattr(target, "access_policy", None)
    roles = getattr(view, "access_roles", None) or getattr(target, "access_roles", ()) or ()
    return url, policy, tuple(roles)


@receiver(setting_changed)
def _urls_changed(*, setting, **kwargs):
    # Django clears its own URL caches when a test swaps the URLconf; so does the menu.
    if setting == "ROOT_URLCONF":
        _page_lookup.cache_clear()


def view_admits(user, url_name: str) -> bool:
    """Would the view behind this URL name let this user in (its declared policy, as the view checks it)?"""
    _, policy, roles = _page(url_name)
    if policy in (PUBLIC, SIGNED_IN):
        return bool(user and user.is_authenticated)
    return bool(policy) and bool(user and user.is_authenticated) and staff_allowed(user, roles)


def nav_items(user) -> list[dict]:
    """The sections this user may open, in `order`, each with the key of the group it shows under."""
    items = []
    for section in nav_sections():
        shown = section.visible(user) if section.visible is not None else view_admits(user, section.url_name)
        if shown:
            label = section.label_for(user) if section.label_for is not None else section.label
            group = section.group if section.group in _groups else GROUP_MORE
            items.append({"key": section.key, "label": label, "url": _page(section.url_name)[0], "group": group})
    return items


def _current_url(items: list[dict], path: str) -> str | None:
    """The item the page at `path` belongs to: its own URL, else the longest item URL it lies under
    (a case's page under Cases); Home's "/" only for the home page itself."""
    urls = [
        item["url"] for item in items if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))
    ]
    return max(urls, key=len, default=None)


def nav_menu(*, items: list[dict], path: str = "") -> list[dict]:
    """The menu as it shows: the groups with at least one of these items, in order, each with its items,
    `current` on the group the page at `path` belongs to and on the item that is that very page."""
    under = _current_url(items, path)
    menu = []
    for group in nav_groups():
        members = [{**item, "current": item["url"] == path} for item in items if item["group"] == group.key]
        if members:
            current = any(item["url"] == under for item in members)
            menu.append({"key": group.key, "label": group.label, "items": members, "current": current})
    return menu


def nav_context(request):
    """Template context: `nav_items`, the sections this user may open, and `nav_menu`, the same under
    their headings; built only when a page shows the menu (a CSV download or a public hotline page pays
    nothing), and once for both."""
    user = getattr(request, "user", None)
    items = SimpleLazyObject(lambda: nav_items(user) if user is not None and user.is_authenticated else [])
    return {"nav_items": items, "nav_menu": SimpleLazyObject(lambda: nav_menu(items=list(items), path=request.path))}


def cases_nav_register() -> None:
    """The menu's headings and the sections of cases itself (from CasesConfig.ready); its risk engine
    registers its own sections."""
    from .permissions import sees_only_assigned_reviews

    for group in (
        NavGroup(GROUP_HOME, "Home", 0),
        # The investigator's own work: cases and allegations, Onyx re-reviews, hotline reports to triage.
        NavGroup(GROUP_CASES, "Cases", 10),
        # The subjects: officers and staff, their convictions, risk flags and vetting.
        NavGroup(GROUP_PEOPLE, "Officers and vetting", 20),
        # What DPS reports on: the dashboard, regulation 19 reports, the barred list, disproportionality.
        NavGroup(GROUP_REPORTS, "Reports", 30),
        # Who watches the watchers: conflicts of interest and the access audit.
        NavGroup(GROUP_OVERSIGHT, "Oversight", 40),
    ):
        nav_group_register(group)
    for section in (
        NavSection("my_work", "My work", "cases:my_work", 20, group=GROUP_CASES),
        NavSection("cases", "Cases", "cases:case_list", 30, group=GROUP_CASES),
        NavSection("allegations", "Allegations", "cases:allegation_list", 40, group=GROUP_CASES),
        NavSection("timeliness", "Regulation 19 reports due", "cases:timeliness", 50, group=GROUP_REPORTS),
        NavSection("barred_list", "Barred list (CSV)", "cases:barred_list_export", 60, group=GROUP_REPORTS),
        NavSection("officers", "Officers", "cases:officer_list", 70, group=GROUP_PEOPLE),
        NavSection("convictions", "Convictions", "cases:conviction_list", 75, group=GROUP_PEOPLE),
        NavSection(
            "reviews",
            "Onyx reviews",
            "cases:review_list",
            80,
            label_for=lambda user: "My panel reviews" if sees_only_assigned_reviews(user) else "Onyx reviews",
            group=GROUP_CASES,
        ),
        NavSection("conflicts", "Conflicts of interest", "cases:conflicts", 90, group=GROUP_OVERSIGHT),
        NavSection("audit", "Access audit", "cases:audit_reader", 110, group=GROUP_OVERSIGHT),
    ):
        nav_section_register(section)
