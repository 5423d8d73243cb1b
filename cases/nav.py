"""The main navigation: one registry of sections, each with the page it opens and who may see it.

Each app registers its own sections from its AppConfig.ready (cases below, its risk engine, vetting,
the hotline, the project's home and dashboard), as it registers its record kinds and risk rules, so
cases names no page of an app above it. A section is shown to whoever may open its page: by default
the access policy its view declares (cases.policy, the same check the view makes), so the menu and
the page cannot disagree; a section may narrow that with a `visible(user)` of its own. The context
processor `nav_context` builds the items one user sees, in `order`."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, resolve, reverse
from django.utils.functional import SimpleLazyObject

from .policy import PUBLIC, SIGNED_IN, staff_allowed


@dataclass(frozen=True)
class NavSection:
    key: str  # unique; registering the same key again replaces the section
    label: str
    url_name: str
    order: int
    visible: Callable[[object], bool] | None = None  # visible(user); None: whoever the view admits
    label_for: Callable[[object], str] | None = None  # label_for(user), when the words depend on the reader


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
    items = []
    for section in nav_sections():
        shown = section.visible(user) if section.visible is not None else view_admits(user, section.url_name)
        if shown:
            label = section.label_for(user) if section.label_for is not None else section.label
            items.append({"key": section.key, "label": label, "url": _page(section.url_name)[0]})
    return items


def nav_context(request):
    """Template context: `nav_items`, the sections this user may open, built only when a page shows
    the menu (a CSV download or a public hotline page pays nothing)."""
    user = getattr(request, "user", None)

    def items():
        return nav_items(user) if user is not None and user.is_authenticated else []

    return {"nav_items": SimpleLazyObject(items)}


def cases_nav_register() -> None:
    """The sections of cases itself (from CasesConfig.ready); its risk engine registers its own."""
    from .permissions import sees_only_assigned_reviews

    for section in (
        NavSection("my_work", "My work", "cases:my_work", 20),
        NavSection("cases", "Cases", "cases:case_list", 30),
        NavSection("allegations", "Allegations", "cases:allegation_list", 40),
        NavSection("timeliness", "Regulation 19 reports due", "cases:timeliness", 50),
        NavSection("barred_list", "Barred list (CSV)", "cases:barred_list_export", 60),
        NavSection("officers", "Officers", "cases:officer_list", 70),
        NavSection("convictions", "Convictions", "cases:conviction_list", 75),
        NavSection(
            "reviews",
            "Onyx reviews",
            "cases:review_list",
            80,
            label_for=lambda user: "My panel reviews" if sees_only_assigned_reviews(user) else "Onyx reviews",
        ),
        NavSection("conflicts", "Conflicts of interest", "cases:conflicts", 90),
        NavSection("audit", "Access audit", "cases:audit_reader", 110),
    ):
        nav_section_register(section)
