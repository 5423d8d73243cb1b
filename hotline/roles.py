"""What each role may do with the hotline's own models; registered with cases.roles from HotlineConfig.ready."""

from cases.roles import Role, perms

_WORK = perms("hotline", ["view", "add", "change"], "hotlinereport", "hotlinemessage") + perms(
    "hotline", ["view"], "hotlineevidence", "hotlinereportevent"
)

ROLE_PERMISSIONS = {
    Role.INVESTIGATOR: _WORK,
    Role.SUPERVISOR: _WORK,
    Role.HOTLINE_TRIAGE: _WORK,
    Role.COMMISSIONER: perms("hotline", ["view"], "hotlinereport"),
}
