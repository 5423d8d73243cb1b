"""What each role may do with vetting's own models; registered with cases.roles from VettingConfig.ready."""

from cases.roles import Role, perms

_MODELS = ("vettingclearance", "vettingreview", "pndcheck", "renewalperiod", "revettingdraw")
_READ = perms("vetting", ["view"], *_MODELS)

ROLE_PERMISSIONS = {
    Role.INVESTIGATOR: _READ,
    Role.SUPERVISOR: _READ
    + perms("vetting", ["view", "add", "change"], "vettingclearance", "vettingreview", "pndcheck"),
    Role.COMMISSIONER: _READ,
    # The vetting unit: works the reviews, clearances and PND checks, reads the self-reports (which no
    # other role sees) and the notices, and keeps the renewal table.
    Role.VETTING_OFFICER: _READ
    + perms("vetting", ["view", "add", "change"], "vettingclearance", "vettingreview", "pndcheck", "renewalperiod")
    + perms("vetting", ["view"], "circumstancechange", "clearancenotice", "vettingreviewevent")
    + perms("vetting", ["view", "add", "change"], "vettingwithdrawal", "withdrawalnotice")
    + perms("vetting", ["view"], "withdrawalevent"),
}
