"""Model permissions on documents (what the admin and model-level checks see); which documents a
user may open is decided by the owner's selector (owners.py), never by these."""

from cases.roles import Role, perms

_READ = perms("documents", ["view"], "document", "documentversion", "custodyevent")
_WRITE = perms("documents", ["add", "change"], "document", "documentversion") + perms(
    "documents", ["add"], "custodyevent"
)

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.INVESTIGATOR: _READ + _WRITE,
    Role.SUPERVISOR: _READ + _WRITE,
    Role.COMMISSIONER: _READ,
    Role.PANEL_REVIEWER: _READ,
    Role.HOTLINE_TRIAGE: _READ + _WRITE,
    Role.VETTING_OFFICER: _READ + _WRITE,
}
