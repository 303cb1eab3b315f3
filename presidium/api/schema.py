from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as _AutoSchema


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "presidium.api.auth.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <prefix>.<secret>` — created by township or county staff; read-only.",
        }


# Every error the API answers with: ``{"detail": "…", "code": "…"}`` (DRF), or, for a rejected filter,
# ``{"<parameter>": ["…"]}`` — hence the open object.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": True,
}
ERROR_RESPONSES = {
    "400": "参数无效（如过滤条件不是允许的值、数值超出范围）。",
    "401": "未提供或提供了无效的 API 密钥。",
    "403": "无权访问（密钥范围之外，或须先修改临时密码）。",
    "404": "对象不存在或不在可见范围内；页码超出范围。",
    "429": "请求过于频繁（每个密钥单独计数）。",
}


class AutoSchema(_AutoSchema):
    """drf-spectacular's schema plus the error responses every operation can give (clients and the
    schemathesis run in CI check answers against them)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_RESPONSES.items():
            responses.setdefault(
                code, {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
            )
        # Answered by the HTTP server in front of Django (gunicorn, nginx), not by the API itself.
        responses.setdefault("414", {"description": "请求地址过长（由 Web 服务器拒绝）。"})
        return responses
