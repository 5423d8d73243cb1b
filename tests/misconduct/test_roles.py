import pytest
from django.contrib.auth.models import Group, Permission

from cases.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_holding_exactly_its_permissions():
    for role in Role:
        group = Group.objects.get(name=role.label)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(ROLE_PERMISSIONS[role]), role


def test_every_permission_a_role_names_exists():
    existing = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    for role, perms in ROLE_PERMISSIONS.items():
        assert set(perms) <= existing, (role, set(perms) - existing)


def test_the_commissioner_and_the_panel_edit_nothing_in_investigations():
    for role in (Role.COMMISSIONER, Role.OVERSIGHT):
        assert all(p.split(".")[1].startswith("view_") for p in ROLE_PERMISSIONS[role]), role
    assert not any(p.startswith("cases.change_case") for p in ROLE_PERMISSIONS[Role.PANEL_REVIEWER])
