"""DRF's defaults fail open; this closes them. Every API view names its roles in `access_roles`."""

from rest_framework.permissions import BasePermission

from .policy import ANY_ROLE, STAFF, second_factor_ok, staff_allowed


class RoleRequired(BasePermission):
    """Signed in, second factor verified, and holding one of the view's `access_roles`."""

    def has_permission(self, request, view):
        user = request.user
        roles = getattr(view, "access_roles", ())
        if not roles or not user or not user.is_authenticated:
            return False
        return second_factor_ok(user) and staff_allowed(user, roles)


class StaffApiMixin:
    access_policy = STAFF
    access_roles: tuple = ()
    permission_classes = [RoleRequired]


def schema_objects_closed(result, generator, request, public):
    """drf-spectacular post-processing hook: our serializers send exactly the fields they declare, so
    every object in the schema says `additionalProperties: false`. That also makes the per-audience
    `oneOf` (staff or oversight shape) match exactly one shape, as oneOf requires."""
    for component in result.get("components", {}).get("schemas", {}).values():
        if component.get("type") == "object" and "properties" in component:
            component.setdefault("additionalProperties", False)
    return result


__all__ = ["ANY_ROLE", "RoleRequired", "StaffApiMixin", "schema_objects_closed"]
