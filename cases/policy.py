"""Every view declares who may reach it. The permission-matrix test walks the URL resolver and fails
on any view without a declared policy, so a forgotten check cannot ship.

- `public_view`: no account needed (the public hotline, health check, login).
- `signed_in_view`: signed in, but the second factor may still be missing (the two-factor page itself).
- `staff_view(*roles)`: signed in, second factor verified, and holding one of the roles. Anything
  else is refused: anonymous users go to the login page; staff without the role get 404, the same
  answer as for a missing record, so nothing can be probed. `staff_view(ANY_ROLE)` admits any role.
Object-level checks (which case, which review) are the selectors' `access_*` functions' job.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from cases.roles import Role, has_role, user_roles

PUBLIC = "public"
SIGNED_IN = "signed_in"
STAFF = "staff"
ANY_ROLE = "*"


def public_view(view):
    view.access_policy = PUBLIC
    view.access_roles = ()
    return view


def second_factor_ok(user) -> bool:
    if getattr(user, "is_verified", None) and user.is_verified():
        return True
    # Demo logins may skip the second factor, and only while the app runs in demo mode.
    return bool(settings.DEMO_MODE and user.username.startswith("demo-"))


def signed_in_view(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.access_policy = SIGNED_IN
    wrapped.access_roles = ()
    return wrapped


def staff_allowed(user, roles) -> bool:
    if ANY_ROLE in roles:
        return bool(user_roles(user))
    return has_role(user, *roles)


def staff_view(*roles):
    if not roles:
        raise ValueError("staff_view needs at least one role: say who may use this page.")
    unknown = set(roles) - set(Role.values) - {ANY_ROLE}
    if unknown:
        raise ValueError(f"Unknown roles: {unknown}")

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not second_factor_ok(user):
                return redirect("two_factor")
            if not staff_allowed(user, roles):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.access_policy = STAFF
        wrapped.access_roles = tuple(roles)
        return wrapped

    return decorate
