from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import ApiKeyForm, CountyRulesForm, LoginForm
from .models import AuditAction, Role
from .permissions import role_required
from .viewkit import call_service, page_of, show_errors

# Where each role lands after login; an app that owns the target registers the URL name.
ROLE_HOME = {
    Role.STAFF: "dashboards:workbench",
    Role.DEPUTY: "suggestions:my",
    Role.UNIT: "suggestions:unit_inbox",
    Role.COUNTY: "dashboards:county",
}


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
            update_session_auth_hash(self.request, user)
        services.audit(actor=user, action=AuditAction.USER_PASSWORD_CHANGE, township=user.township, obj=user)
        messages.success(self.request, _("密码已修改。"))
        return response


@login_required
def home(request):
    role = Role.ADMIN if request.user.is_superuser else request.user.role
    target = ROLE_HOME.get(role)
    if target:
        try:
            return redirect(reverse(target))
        except NoReverseMatch:
            pass
    return render(request, "presidium/home.html", {"role": role})


@never_cache
def healthz(request):
    """Database, Redis and Celery worker status as JSON; 503 when something required is down."""
    result = {"database": "ok", "redis": "not configured", "celery": "eager (in-process)"}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        result["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
            result["redis"] = "ok"
        except Exception as exc:
            result["redis"] = f"error: {exc.__class__.__name__}"
            healthy = False
        if result["redis"] == "ok":
            from .celery import app

            try:
                replies = app.control.ping(timeout=1.0)
            except Exception:
                replies = []
            result["celery"] = f"ok ({len(replies)} worker(s))" if replies else "no worker answered"
            healthy = healthy and bool(replies)
    result["status"] = "ok" if healthy else "error"
    return JsonResponse(result, status=200 if healthy else 503)


@role_required(Role.STAFF, Role.COUNTY)
def api_key_list(request):
    form = ApiKeyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        township, county = form.scope()
        try:
            _key, raw = services.api_key_create(
                name=form.cleaned_data["name"], actor=request.user, township=township, county=county
            )
        except (ValidationError, PermissionDenied) as exc:
            show_errors(request, exc)
        else:
            messages.warning(request, _("新密钥：%(raw)s （仅显示这一次，请立即复制保存）") % {"raw": raw})
            return redirect("presidium:apikeys")
    keys = selectors.api_keys_visible_to(request.user)
    return render(request, "presidium/apikey_list.html", {"keys": keys, "form": form})


@require_POST
@role_required(Role.STAFF, Role.COUNTY)
def api_key_revoke(request, pk):
    key = get_object_or_404(selectors.api_keys_visible_to(request.user), pk=pk)
    call_service(request, lambda: services.api_key_revoke(key=key, actor=request.user), _("密钥已吊销。"))
    return redirect("presidium:apikeys")


@role_required(Role.STAFF, Role.COUNTY)
def audit_list(request):
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    page = page_of(request, selectors.audit_entries_visible_to(request.user, action=action))
    return render(
        request, "presidium/audit_list.html", {"page": page, "action": action, "actions": AuditAction.choices}
    )


@role_required(Role.STAFF, Role.COUNTY)
def county_rules(request):
    """County staff edit their county's rules; township staff read them."""
    county = selectors.counties_visible_to(request.user).first()
    if county is None:
        raise PermissionDenied
    rules = county.rules
    can_edit = request.user.is_superuser or request.user.role == Role.COUNTY
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = CountyRulesForm(request.POST, instance=rules)
        if form.is_valid():
            try:
                services.update_county_rules(actor=request.user, rules=rules, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("规则已保存。"))
                return redirect("presidium:rules")
        messages.error(request, _("保存失败，请检查标红的字段。"))
    else:
        form = CountyRulesForm(instance=rules)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request, "presidium/county_rules.html", {"form": form, "county": county, "can_edit": can_edit}
    )


def _api_error(request, status: int, detail: str, code: str):
    """Errors under /api/ are JSON, as the API documents them (a page would be HTML to a client)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    return None


def permission_denied(request, exception=None):
    return _api_error(request, 403, _("无权访问。"), "permission_denied") or render(
        request, "403.html", status=403
    )


def page_not_found(request, exception=None):
    return _api_error(request, 404, _("对象不存在或不在可见范围内。"), "not_found") or render(
        request, "404.html", status=404
    )


def server_error(request):
    return _api_error(request, 500, _("服务器内部错误。"), "server_error") or render(
        request, "500.html", status=500
    )


__all__ = ["PermissionDenied"]
