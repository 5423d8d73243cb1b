"""DRF's defaults fail open; this closes them. Every API view names its roles in `access_roles`."""

from rest_framework.permissions import BasePermission

from cases.policy import ANY_ROLE, STAFF, second_factor_ok, staff_allowed

from .reads import ConditionalGetMixin


class RoleRequired(BasePermission):
    """Signed in, second factor verified, and holding one of the view's `access_roles`."""

    def has_permission(self, request, view):
        user = request.user
        roles = getattr(view, "access_roles", ())
        if not roles or not user or not user.is_authenticated:
            return False
        # A client token is a credential of its own (issued by an administrator, hashed, expiring);
        # a browser session still needs the second factor.
        via_token = getattr(user, "api_client", None) is not None
        return (via_token or second_factor_ok(user)) and staff_allowed(user, roles)


# Every API view: its roles checked (RoleRequired), and conditional GET on what it answers. No
# docstring here: the schema would show it as the description of every endpoint without its own.
class StaffApiMixin(ConditionalGetMixin):
    access_policy = STAFF
    access_roles: tuple = ()
    permission_classes = [RoleRequired]


__all__ = ["ANY_ROLE", "RoleRequired", "StaffApiMixin"]
