from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from presidium.models import Role


class DeputyServiceMiddleware:
    """A deputy whose service has ended (resigned, recalled, died, moved away, term over) loses the
    deputy pages and API at once. Decided on every request from the status history
    (``accounts.selectors.deputy_service_for_user``), not from a flag on the login that could drift
    from the roster. Their records stay in the archive, which staff keep reading."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.role == Role.DEPUTY
            and not user.is_superuser
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            from .selectors import deputy_service_for_user

            service = deputy_service_for_user(user)
            if service is not None and not service["serving"]:
                return self.refuse(request, service)
        return self.get_response(request)

    def refuse(self, request, service):
        from deputies.models import Deputy

        label = dict(Deputy.Status.choices).get(service["status"], service["status"])
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("代表职务已终止（%(s)s），代表功能已停用。") % {"s": label}}, status=403
            )
        return render(
            request,
            "accounts/service_ended.html",
            {"status_label": label, "since": service["since"], "name": service["name"]},
            status=403,
        )
