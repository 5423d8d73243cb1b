"""What each role may do with vetting's own models; registered with cases.roles from VettingConfig.ready."""

from cases.roles import Role, perms

_READ = perms("vetting", ["view"], "vettingclearance", "vettingreview", "pndcheck", "renewalperiod")

ROLE_PERMISSIONS = {
    Role.INVESTIGATOR: _READ,
    Role.SUPERVISOR: _READ
    + perms("vetting", ["view", "add", "change"], "vettingclearance", "vettingreview", "pndcheck"),
    Role.COMMISSIONER: _READ,
}
