"""The menu looks up each section's URL and its view's declared policy once per process (issue 18: a
reverse() and a resolve() per section on every page were most of the menu's cost), and still decides
per request, from the reader's roles as they are now, which sections a reader sees."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases import nav
from cases.nav import _page_lookup, nav_items
from cases.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _counting(monkeypatch, name):
    calls = []
    original = getattr(nav, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(nav, name, counted)
    return calls


def test_the_menu_reverses_and_resolves_each_section_once_per_process(monkeypatch):
    _page_lookup.cache_clear()
    reverses, resolves = _counting(monkeypatch, "reverse"), _counting(monkeypatch, "resolve")
    first = nav_items(UserFactory(roles=[Role.SUPERVISOR]))
    assert reverses and resolves
    reverses.clear(), resolves.clear()
    again = nav_items(UserFactory(roles=[Role.SUPERVISOR]))
    other = nav_items(UserFactory(roles=[Role.VETTING_OFFICER]))
    assert (reverses, resolves) == ([], [])
    assert again == first and other and other != first


@pytest.mark.parametrize("role", Role.values)
def test_a_warm_menu_shows_each_role_exactly_what_a_cold_one_does(role):
    nav_items(UserFactory(roles=Role.values))  # every section's page looked up by a reader of all roles
    user = UserFactory(roles=[role])
    warm = nav_items(user)
    _page_lookup.cache_clear()
    assert warm == nav_items(get_user_model().objects.get(pk=user.pk))


def test_a_reader_who_loses_a_role_loses_its_sections_on_the_next_request():
    user = UserFactory(roles=[Role.SUPERVISOR, Role.VETTING_OFFICER])
    assert {"cases", "vetting"} <= {item["key"] for item in nav_items(user)}
    user.groups.remove(Group.objects.get(name=Role(Role.SUPERVISOR).label))
    keys = {item["key"] for item in nav_items(get_user_model().objects.get(pk=user.pk))}
    assert "vetting" in keys and "cases" not in keys


def test_swapping_the_urlconf_empties_the_cache(settings):
    nav_items(UserFactory(roles=[Role.SUPERVISOR]))
    assert _page_lookup.cache_info().currsize
    settings.ROOT_URLCONF = "misconduct.urls"
    assert _page_lookup.cache_info().currsize == 0
