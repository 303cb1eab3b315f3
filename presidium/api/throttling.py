from rest_framework.throttling import SimpleRateThrottle


class ApiKeyRateThrottle(SimpleRateThrottle):
    """One bucket per API key, separate from logged-in users."""

    scope = "apikey"

    def get_cache_key(self, request, view):
        if getattr(request.user, "role", None) != "api":
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.key.prefix}
