"""The one transition-table shape every workflow uses (presidium.workflow)."""

import pytest
from django.core.exceptions import ValidationError

from presidium.workflow import Transition, TransitionTable


def _only_when_flagged(obj, user):
    return "" if obj.get("flag") else "未标记"


TABLE = TransitionTable(
    {
        ("open", "close"): Transition("closed", ("staff",), label="办结"),
        ("open", "answer"): Transition("closed", ("deputy",), _only_when_flagged, "答复"),
        ("open", "hold"): Transition("open", ("staff", "deputy")),
        ("closed", "reopen"): Transition("open", ("staff",), label="重新办理"),
    }
)


def test_a_table_answers_which_actions_lead_where_and_for_whom():
    assert TABLE.actions == ["close", "answer", "hold", "reopen"]
    assert TABLE.actions_from("open") == ["close", "answer", "hold"]
    assert TABLE.targets("open") == ["closed", "open"]
    assert TABLE.sources("reopen") == ["closed"]
    assert TABLE.roles_for("hold") == {"staff", "deputy"}
    assert TABLE.label("close") == "办结" and TABLE.label("hold") == "hold"
    assert ("close", "办结") in TABLE.choices()


def test_allowed_actions_honour_status_role_and_guard():
    assert TABLE.allowed({}, "open", {"deputy"}) == ["hold"]
    assert TABLE.allowed({"flag": True}, "open", {"deputy"}) == ["answer", "hold"]
    assert TABLE.allowed({}, "closed", {"deputy"}) == []


def test_a_step_the_table_lacks_is_refused_with_the_apps_own_words():
    assert TABLE.step("closed", "reopen", refused="不行").to == "open"
    with pytest.raises(ValidationError, match="当前状态不能办结"):
        TABLE.step("closed", "close", refused="当前状态不能办结")


def test_a_move_table_takes_the_target_status_as_the_action():
    moves = TransitionTable.moves({"planned": ("held", "cancelled")}, roles=("staff",))
    assert moves.targets("planned") == ["held", "cancelled"]
    assert moves[("planned", "held")] == Transition("held", ("staff",))
    assert moves.targets("held") == []
