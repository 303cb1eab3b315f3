"""API-key authentication: ``Authorization: Api-Key <prefix>.<secret>``."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from ..models import ApiKey
from ..selectors import api_key_by_prefix
from ..services import api_key_touch


class ApiPrincipal:
    """What ``request.user`` is for an API client: read-only, scoped to a county or a township."""

    role = "api"
    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_staff = False
    is_active = True
    pk = None
    id = None
    unit_id = None
    must_change_password = False

    def __init__(self, key: ApiKey):
        self.key = key
        self.township_id = key.township_id
        self.county_id = key.county_id or (key.township.county_id if key.township_id else None)
        self.username = f"api:{key.prefix}"

    def __str__(self):
        return self.username

    def get_username(self):
        return self.username


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if not parts or parts[0] != self.keyword:
            return None
        if len(parts) != 2 or "." not in parts[1]:
            raise exceptions.AuthenticationFailed(_("API 密钥格式错误。"))
        raw = parts[1]
        prefix = raw.split(".", 1)[0]
        key = api_key_by_prefix(prefix)
        if key is None or key.key_hash != ApiKey.hash(raw):
            raise exceptions.AuthenticationFailed(_("API 密钥无效。"))
        if key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("API 密钥已被吊销。"))
        api_key_touch(key=key, now=timezone.now())
        return ApiPrincipal(key), key

    def authenticate_header(self, request):
        return self.keyword
