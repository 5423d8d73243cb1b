"""The roles people hold, as Django groups, and the model permissions each one carries.

Model permissions say what kind of thing a role may touch at all; what it may see of each row is
decided by the selectors (object permissions, conflicts of interest, need-to-know)."""

from django.db import models


class Role(models.TextChoices):
    INVESTIGATOR = "dps_investigator", "DPS investigator"
    SUPERVISOR = "dps_supervisor", "DPS supervisor"
    PANEL_REVIEWER = "panel_reviewer", "External panel reviewer"
    COMMISSIONER = "commissioner", "Commissioner"
    OVERSIGHT = "oversight", "Oversight body"
    HOTLINE_TRIAGE = "hotline_triage", "Hotline triage"
    VETTING_OFFICER = "vetting_officer", "Vetting officer"


def perms(app, actions, *model_names):
    return [f"{app}.{action}_{name}" for name in model_names for action in actions]


_VIEW = ["view"]
_EDIT = ["view", "add", "change"]
_CASES_READ = perms(
    "cases",
    _VIEW,
    "officer",
    "command",
    "allegation",
    "case",
    "caseevent",
    "conviction",
    "onyxreview",
    "panelassignment",
    "reviewbatch",
    "officerevent",
)
_RISK_READ = perms("risk", _VIEW, "riskflag", "riskrule", "officerrisklevel", "riskflagevent")

_INVESTIGATOR = sorted(
    set(
        _CASES_READ
        + perms("cases", _EDIT, "allegation", "case", "conviction", "onyxreview")
        + perms("cases", ["add"], "caseevent", "officerevent")
        + perms("cases", ["change"], "officer")
    )
)

# What each role may do with the records of this app (cases and its risk engine). The apps above
# add their own models' permissions with `role_permissions_grant` from their AppConfig.ready, so
# this module names no app above it.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.INVESTIGATOR: _INVESTIGATOR,
    Role.SUPERVISOR: sorted(
        set(
            _INVESTIGATOR
            + perms("cases", _EDIT, "reviewbatch", "panelassignment", "officer")
            + perms("cases", _EDIT + ["delete"], "conflictofinterest")
            + perms("cases", _VIEW, "accessrecord")
            + _RISK_READ
            + perms("risk", ["change"], "riskflag", "riskrule")
        )
    ),
    Role.PANEL_REVIEWER: perms("cases", _VIEW, "onyxreview") + perms("cases", ["view", "change"], "panelassignment"),
    Role.COMMISSIONER: sorted(set(_CASES_READ + _RISK_READ + perms("cases", _VIEW, "accessrecord"))),
    Role.OVERSIGHT: perms("cases", _VIEW, "case", "allegation", "onyxreview"),
    Role.HOTLINE_TRIAGE: perms("cases", _VIEW, "officer") + perms("cases", ["add"], "allegation"),
    Role.VETTING_OFFICER: perms("cases", _VIEW, "officer", "command", "conviction"),
}


def role_permissions_grant(grants: dict[str, list[str]]) -> None:
    """An app adds the model permissions its roles carry on its own models (idempotent)."""
    for role, perms in grants.items():
        ROLE_PERMISSIONS[role] = sorted(set(ROLE_PERMISSIONS.get(role, [])) | set(perms))


def user_roles(user) -> frozenset[str]:
    """The role codes a user holds, cached on the user object for the request."""
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_codes", None)
    if cached is None:
        names = {label: code for code, label in Role.choices}
        cached = frozenset(names[n] for n in user.groups.values_list("name", flat=True) if n in names)
        user._role_codes = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def roles_sync(**kwargs):
    """Give each role group exactly the model permissions ROLE_PERMISSIONS lists (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    for code, perm_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=Role(code).label)
        wanted = []
        for name in perm_names:
            app_label, codename = name.split(".")
            wanted.append((app_label, codename))
        perms = Permission.objects.filter(
            content_type__app_label__in={a for a, _ in wanted}, codename__in={c for _, c in wanted}
        ).select_related("content_type")
        chosen = [p for p in perms if (p.content_type.app_label, p.codename) in set(wanted)]
        group.permissions.set(chosen)
