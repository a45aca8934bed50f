"""View guards: every staff URL requires login (redirect) and one of the listed roles (403 otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from gongkai.org.roles import STAFF_ROLES, Role
from gongkai.org.selectors import user_roles

View = Callable[..., HttpResponse]


def role_required(*roles: Role) -> Callable[[View], View]:
    """Login, then at least one of `roles` (any staff role when none are given)."""
    allowed = frozenset(roles) or STAFF_ROLES

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user_roles(request.user) & allowed):
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        wrapped.required_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator
