import json

from presidium.models import AuditEntry, CountyRules


def _form_data(rules, **overrides):
    from presidium.forms import CountyRulesForm

    form = CountyRulesForm(instance=rules)
    data = {}
    for name, _field in form.fields.items():
        value = form.initial.get(name)
        data[name] = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
    data.update(overrides)
    return data


def test_rules_default_to_the_statutory_numbers(cast):
    rules = cast.county_a.rules
    assert (rules.session_quorum_num, rules.session_quorum_den) == (2, 3)
    assert rules.motion_min_deputies == 5
    assert rules.reply_within_months == 3
    assert rules.outcome_codes() == ["A", "B", "C"]


def test_county_staff_change_a_deadline_and_it_is_audited(cast):
    client = cast.client_for(cast.county_staff_a)
    response = client.post("/core/rules/", _form_data(cast.county_a.rules, reply_within_months=2))
    assert response.status_code == 302
    assert CountyRules.objects.get(county=cast.county_a).reply_within_months == 2
    entry = AuditEntry.objects.get(action="county.rules_change")
    assert entry.detail["changed"] == {"reply_within_months": 2}


def test_invalid_rules_are_refused_with_a_message_and_nothing_changes(cast):
    client = cast.client_for(cast.county_staff_a)
    response = client.post(
        "/core/rules/", _form_data(cast.county_a.rules, session_quorum_num=4, categories="not json")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "法定人数比例" in body or "JSON" in body
    assert CountyRules.objects.get(county=cast.county_a).session_quorum_num == 2


def test_township_staff_can_read_but_not_change_rules(cast, staff_client):
    assert staff_client.get("/core/rules/").status_code == 200
    response = staff_client.post("/core/rules/", _form_data(cast.county_a.rules, reply_within_months=1))
    assert response.status_code == 403
    assert CountyRules.objects.get(county=cast.county_a).reply_within_months == 3


def test_a_majority_fraction_above_one_is_refused(cast):
    client = cast.client_for(cast.county_staff_a)
    response = client.post(
        "/core/rules/",
        _form_data(cast.county_a.rules, resolution_majority_num=3, resolution_majority_den=2),
    )
    assert response.status_code == 200
    assert "比例须在 0 到 1 之间" in response.content.decode()
    assert CountyRules.objects.get(county=cast.county_a).resolution_majority_num == 1


def test_every_rule_says_on_the_rules_page_what_it_counts(cast, staff_client):
    from django.utils.html import escape

    from presidium.services import COUNTY_RULE_FIELDS

    body = staff_client.get("/core/rules/").content.decode()
    for name in COUNTY_RULE_FIELDS:
        help_text = str(CountyRules._meta.get_field(name).help_text)
        assert help_text, name
        assert escape(help_text) in body, name
