import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from presidium import services
from presidium.models import AuditAction, AuditEntry, CountyRules


def _admin_form_data(rules, **overrides):
    from presidium.forms import CountyRulesForm

    form = CountyRulesForm(instance=rules)
    data = {
        name: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
        for name, value in ((name, form.initial.get(name)) for name in form.fields)
    }
    data.update(overrides)
    return data


# --- county rules through the service -------------------------------------------------------------


def test_the_rules_audit_row_lists_each_changed_rule_with_its_old_and_new_value(cast):
    rules = cast.county_a.rules
    services.update_county_rules(
        actor=cast.county_staff_a,
        rules=rules,
        data={"reply_within_months": 2, "motion_min_deputies": 6, "sessions_per_year": 2},
    )
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.COUNTY_RULES_CHANGE
    assert entry.county == cast.county_a
    assert entry.detail["before"] == {"reply_within_months": 3, "motion_min_deputies": 5}
    assert entry.detail["changed"] == {"reply_within_months": 2, "motion_min_deputies": 6}


def test_a_failure_after_the_rules_are_saved_leaves_neither_the_change_nor_an_audit_row(cast, monkeypatch):
    def audit_fails(**kwargs):
        AuditEntry.objects.create(action=kwargs["action"], detail={})
        raise RuntimeError("audit write failed")

    monkeypatch.setattr(services, "audit", audit_fails)
    with pytest.raises(RuntimeError):
        services.update_county_rules(
            actor=cast.county_staff_a, rules=cast.county_a.rules, data={"reply_within_months": 2}
        )
    assert CountyRules.objects.get(county=cast.county_a).reply_within_months == 3
    assert not AuditEntry.objects.exists()


def test_the_rules_service_refuses_invalid_rules_and_changes_nothing(cast):
    with pytest.raises(ValidationError) as refused:
        services.update_county_rules(
            actor=cast.county_staff_a,
            rules=cast.county_a.rules,
            data={"presidium_quorum_num": 4, "presidium_quorum_den": 3},
        )
    assert "presidium_quorum_num" in refused.value.message_dict
    assert CountyRules.objects.get(county=cast.county_a).presidium_quorum_num == 2
    assert not AuditEntry.objects.exists()


def test_only_the_countys_own_staff_change_its_rules_through_the_service(cast):
    for outsider in (cast.county_staff_b, cast.staff_a):
        with pytest.raises(PermissionDenied):
            services.update_county_rules(
                actor=outsider, rules=cast.county_a.rules, data={"reply_within_months": 2}
            )
    assert CountyRules.objects.get(county=cast.county_a).reply_within_months == 3


# --- the action enum ------------------------------------------------------------------------------


def test_audit_refuses_an_action_outside_the_enum(cast):
    with pytest.raises(ValueError, match="AuditAction"):
        services.audit(actor=cast.staff_a, action="user.made_up", township=cast.township_a)
    assert not AuditEntry.objects.exists()


def test_audit_keeps_the_stored_values_of_the_old_free_text_actions(cast):
    entry = services.audit(
        actor=cast.staff_a, action=AuditAction.USER_PASSWORD_RESET, township=cast.township_a
    )
    entry.refresh_from_db()
    assert entry.action == "user.password_reset"
    assert entry.get_action_display() == "重置密码"


def test_the_audit_log_page_shows_the_action_label_and_filters_by_action(cast, staff_client):
    services.audit(
        actor=cast.staff_a, action=AuditAction.APIKEY_CREATE, township=cast.township_a, obj="甲钥匙"
    )
    services.audit(
        actor=cast.staff_a, action=AuditAction.APIKEY_REVOKE, township=cast.township_a, obj="乙钥匙"
    )
    body = staff_client.get("/core/audit/").content.decode()
    assert "创建 API 密钥" in body and "吊销 API 密钥" in body
    assert "apikey.create</td>" not in body
    filtered = staff_client.get("/core/audit/", {"action": "apikey.revoke"}).content.decode()
    assert "乙钥匙" in filtered and "甲钥匙" not in filtered
    unknown = staff_client.get("/core/audit/", {"action": "no.such"}).content.decode()
    assert "乙钥匙" in unknown and "甲钥匙" in unknown


# --- Django admin ---------------------------------------------------------------------------------


def test_the_audit_log_is_read_only_in_the_django_admin(cast, admin_client):
    entry = services.audit(actor=cast.staff_a, action=AuditAction.APIKEY_CREATE, township=cast.township_a)
    assert admin_client.get("/admin/presidium/auditentry/").status_code == 200
    assert admin_client.get("/admin/presidium/auditentry/add/").status_code == 403
    change_url = f"/admin/presidium/auditentry/{entry.pk}/change/"
    admin_client.post(change_url, {"action": "user.create", "object_repr": "changed"})
    assert (
        admin_client.post(f"/admin/presidium/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert (entry.action, entry.object_repr) == ("apikey.create", "")


def test_rules_changed_in_the_django_admin_go_through_the_service_and_are_audited(cast, admin_client):
    rules = cast.county_a.rules
    url = f"/admin/presidium/countyrules/{rules.pk}/change/"
    response = admin_client.post(url, _admin_form_data(rules, reply_within_months=2))
    assert response.status_code == 302
    assert CountyRules.objects.get(pk=rules.pk).reply_within_months == 2
    entry = AuditEntry.objects.get(action=AuditAction.COUNTY_RULES_CHANGE)
    assert entry.detail == {"changed": {"reply_within_months": 2}, "before": {"reply_within_months": 3}}


def test_rules_the_django_admin_refuses_are_not_saved(cast, admin_client):
    rules = cast.county_a.rules
    url = f"/admin/presidium/countyrules/{rules.pk}/change/"
    response = admin_client.post(url, _admin_form_data(rules, session_quorum_num=4))
    assert response.status_code == 200
    assert "比例须在 0 到 1 之间" in response.content.decode()
    assert CountyRules.objects.get(pk=rules.pk).session_quorum_num == 2
    assert not AuditEntry.objects.exists()


def test_county_rules_are_neither_added_nor_deleted_in_the_django_admin(cast, admin_client):
    rules = cast.county_a.rules
    assert admin_client.get("/admin/presidium/countyrules/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/presidium/countyrules/{rules.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert CountyRules.objects.filter(pk=rules.pk).exists()


# --- every audit call names its action through the enum -------------------------------------------


def _audit_calls():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    skip = {".venv", "node_modules", "tests"}
    for path in sorted(root.rglob("*.py")):
        if skip & set(path.relative_to(root).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name == "audit":
                    action = next((k.value for k in node.keywords if k.arg == "action"), None)
                    yield f"{path.relative_to(root)}:{node.lineno}", action


def test_every_audit_call_passes_an_action_of_the_enum():
    import ast

    def names_the_enum(expr):
        if isinstance(expr, ast.IfExp):
            return names_the_enum(expr.body) and names_the_enum(expr.orelse)
        if isinstance(expr, ast.Attribute):
            return isinstance(expr.value, ast.Name) and expr.value.id == "AuditAction"
        # A lookup in a table of AuditAction members (checked below, table by table).
        return isinstance(expr, ast.Subscript) and getattr(expr.value, "id", "").endswith("_ACTIONS")

    calls = list(_audit_calls())
    assert len(calls) > 60
    assert [where for where, action in calls if action is None or not names_the_enum(action)] == []


def test_the_tables_of_audit_actions_cover_every_case_they_are_asked_for(cast):
    from congress.services.presidium import _NOTICES, NOTICE_AUDIT_ACTIONS
    from deputies.services.reception import RECEPTION_AUDIT_ACTIONS, RECEPTION_TRANSITIONS
    from deputies.services.records import RECORD_DELETE_ACTIONS
    from deputies.views.records import RECORD_KINDS
    from supervision.models import CommitmentItem
    from supervision.services.activities import COMMITMENT_AUDIT_ACTIONS

    assert {action for _status, action in RECEPTION_TRANSITIONS} == set(RECEPTION_AUDIT_ACTIONS)
    # Each record page deletes the rows of its selector's model.
    assert {conf["selector"](cast.staff_a).model for conf in RECORD_KINDS.values()} == set(
        RECORD_DELETE_ACTIONS
    )
    # The stored values stay the old "<model name>.delete" strings.
    assert {model._meta.model_name + ".delete" for model in RECORD_DELETE_ACTIONS} == {
        action.value for action in RECORD_DELETE_ACTIONS.values()
    }
    checked = {CommitmentItem.Stage.MID_CHECKED, CommitmentItem.Stage.DELIVERED}
    assert set(COMMITMENT_AUDIT_ACTIONS) == checked
    assert {f"supervision.commitment_{stage}" for stage in checked} == {
        a.value for a in COMMITMENT_AUDIT_ACTIONS.values()
    }
    assert set(NOTICE_AUDIT_ACTIONS) == set(_NOTICES)
    for table in (
        RECEPTION_AUDIT_ACTIONS,
        RECORD_DELETE_ACTIONS,
        COMMITMENT_AUDIT_ACTIONS,
        NOTICE_AUDIT_ACTIONS,
    ):
        assert all(isinstance(action, AuditAction) for action in table.values())
