"""Every view declares who may reach it. The permission-matrix test walks the URL resolver and fails
on any view without a declared policy, so a forgotten check cannot ship.

- `public_view`: no account needed (the public hotline, health check, login).
- `staff_view(*roles)`: signed in, second factor verified, and holding one of the roles. Anything
  else is refused: anonymous users go to the login page; staff without the role get 404, the same
  answer as for a missing record, so nothing can be probed.
Object-level checks (which case, which review) are the selectors' `access_*` functions' job.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from .roles import has_role

PUBLIC = "public"
STAFF = "staff"


def public_view(view):
    view.access_policy = PUBLIC
    view.access_roles = ()
    return view


def second_factor_ok(user) -> bool:
    if getattr(user, "is_verified", None) and user.is_verified():
        return True
    # Demo logins may skip the second factor, and only while the app runs in demo mode.
    return bool(settings.DEMO_MODE and user.username.startswith("demo-"))


def staff_view(*roles):
    if not roles:
        raise ValueError("staff_view needs at least one role: say who may use this page.")

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not second_factor_ok(user):
                return redirect("two_factor")
            if not has_role(user, *roles):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.access_policy = STAFF
        wrapped.access_roles = tuple(roles)
        return wrapped

    return decorate
