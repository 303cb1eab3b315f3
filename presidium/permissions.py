"""Role checks for HTML views. Object visibility itself lives in each app's selectors."""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from .models import Role


def has_role(user, *roles) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.role in roles


class RoleRequiredMixin(AccessMixin):
    """Anonymous → login page; wrong role → 403."""

    allowed_roles: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.allowed_roles and not has_role(request.user, *self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(RoleRequiredMixin):
    allowed_roles = (Role.STAFF,)


class StaffOrCountyMixin(RoleRequiredMixin):
    allowed_roles = (Role.STAFF, Role.COUNTY)


def role_required(*roles):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            from django.contrib.auth.views import redirect_to_login

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
