"""API rate limits, one bucket per principal: each API key its own, each logged-in user their own
(by user id), anonymous visitors by address. An API key is not a user (it has no id), so the
user throttle must never count it: otherwise every key shares the one bucket ``user-None``."""

from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


def _is_api_key(request) -> bool:
    return getattr(request.user, "role", None) == "api"


class ApiKeyRateThrottle(SimpleRateThrottle):
    """One bucket per API key, separate from logged-in users."""

    scope = "apikey"

    def get_cache_key(self, request, view):
        if not _is_api_key(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"key-{request.user.key.pk}"}


class SessionUserRateThrottle(UserRateThrottle):
    """One bucket per logged-in user (by id); API keys and anonymous visitors are counted elsewhere."""

    def get_cache_key(self, request, view):
        user = request.user
        if _is_api_key(request) or not (user and user.is_authenticated and user.pk):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"user-{user.pk}"}
