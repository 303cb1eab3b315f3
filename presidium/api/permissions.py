from rest_framework import permissions


class IsAuthenticatedScoped(permissions.BasePermission):
    """Authenticated users and API keys. API keys are read-only unless created otherwise."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(user, "role", None) == "api":
            return request.method in permissions.SAFE_METHODS or not user.key.read_only
        return True


class IsStaffOrCounty(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.is_superuser or getattr(user, "role", None) in ("staff", "county", "api"))
        )
