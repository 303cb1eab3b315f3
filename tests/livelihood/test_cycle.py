"""The whole year of a township's livelihood projects: candidates → the vote (every impossible total
refused) → the chosen list as a resolution → milestones, progress and reminders → the year-end
secret score with rectification → the figures in the stats API and the annual report."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import AgendaItem
from livelihood import selectors, services
from livelihood.models import BallotVoter, Milestone, Project, ProjectBallot
from notifications.models import Notification
from supervision import services as sup
from supervision.models import Rectification
from tests.livelihood.factories import YEAR, candidates, propose, township_year
from tests.notifications.helpers import TZ, at, sweep

pytestmark = pytest.mark.django_db

S = Project.Status


def paper(y, ballot, issued, returned, valid, invalid, votes):
    projects = list(Project.objects.filter(session=y.session, status=S.CANDIDATE).order_by("order"))
    return services.ballot_count(
        ballot=ballot,
        actor=y.staff,
        ballots={"issued": issued, "returned": returned, "valid": valid, "invalid": invalid},
        votes={p.pk: v for p, v in zip(projects, votes, strict=False)},
    )


def test_the_presidium_vets_candidates_and_the_list_must_outnumber_the_places(cast):
    y = township_year(cast)
    listed = candidates(y, n=3)
    dropped = propose(y, title="建设镇区广场")
    with pytest.raises(ValidationError):
        services.project_vet(project=dropped, accept=False, actor=y.staff)  # a refusal needs its reason
    services.project_vet(project=dropped, accept=False, comment="资金来源未落实", actor=y.staff)
    with pytest.raises(ValidationError, match="须不少于 4 个"):
        services.ballot_open(session=y.session, actor=y.staff)
    assert not ProjectBallot.objects.exists()
    candidates(y, n=4)[-1]  # the office puts a fourth (and more) on the list
    ballot = services.ballot_open(session=y.session, actor=y.staff)
    assert (ballot.to_choose, ballot.max_approvals) == (3, 3)
    assert [p.status for p in listed] == [S.CANDIDATE] * 3
    assert Project.objects.get(pk=dropped.pk).status == S.DROPPED
    late = propose(y, title="新增路灯")
    with pytest.raises(ValidationError, match="已开始票决"):
        services.project_vet(project=late, accept=True, session=y.session, actor=y.staff)


def test_another_townships_staff_cannot_propose_or_vet(cast):
    y = township_year(cast)
    p = propose(y)
    with pytest.raises(PermissionDenied):
        services.project_vet(project=p, accept=True, session=y.session, actor=cast.staff_b)
    with pytest.raises(ValidationError, match="责任单位不属于本乡镇"):
        propose(y, unit=cast.unit_b)


@pytest.mark.parametrize(
    "totals, votes, message",
    [
        ((10, 9, 9, 0), (8, 7, 5, 4), "多于出席代表"),  # more ballots handed out than deputies present
        ((9, 9, 8, 0), (8, 7, 5, 4), "之和须等于收回选票"),  # valid + invalid ≠ returned
        ((9, 9, 9, 0), (10, 7, 5, 4), "得票须在 0 至有效票数"),  # a project with more votes than ballots
        ((9, 9, 9, 0), (9, 9, 9, 1), "超过有效票"),  # more approvals than N per ballot allow
        ((9, 9, 9, 0), (8, 7, 5), "请为每个候选项目填写"),  # a candidate left out
        ((9, 9, -1, 10), (0, 0, 0, 0), "不能为负数"),
    ],
)
def test_each_impossible_paper_total_is_refused_and_changes_nothing(cast, totals, votes, message):
    y = township_year(cast)
    candidates(y, n=4)
    ballot = services.ballot_open(session=y.session, actor=y.staff)
    with pytest.raises(ValidationError, match=message):
        paper(y, ballot, *totals, votes)
    ballot.refresh_from_db()
    assert ballot.status == ProjectBallot.Status.OPEN and ballot.ballots_issued is None
    assert set(Project.objects.filter(session=y.session).values_list("status", "votes_paper")) == {
        (S.CANDIDATE, 0)
    }


def test_more_ballots_returned_than_issued_voids_the_vote_and_it_is_held_again(cast):
    y = township_year(cast)
    candidates(y, n=4)
    ballot = services.ballot_open(session=y.session, actor=y.staff)
    ballot = paper(y, ballot, 8, 9, 9, 0, (8, 7, 5, 4))
    assert ballot.void and ballot.status == ProjectBallot.Status.OPEN
    assert not Project.objects.filter(status=S.CHOSEN).exists()
    services.ballot_reset_void(ballot=ballot, actor=y.staff)
    ballot = paper(y, ProjectBallot.objects.get(), 9, 9, 8, 1, (8, 7, 5, 4))
    assert ballot.status == ProjectBallot.Status.COUNTED


def test_projects_need_more_than_half_of_all_deputies_and_the_chosen_list_becomes_a_resolution(cast):
    # 9 deputies, only 7 present: 5 votes are needed whatever the attendance.
    y = township_year(cast, present=7)
    a, b, c, d = candidates(y, n=4)
    ballot = paper(y, services.ballot_open(session=y.session, actor=y.staff), 7, 7, 7, 0, (7, 6, 4, 4))
    assert ballot.majority == 5
    statuses = dict(Project.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in (a, b, c, d)] == [S.CHOSEN, S.CHOSEN, S.NOT_CHOSEN, S.NOT_CHOSEN]
    assert ballot.tied == []
    resolution = ballot.resolution
    assert resolution.kind == AgendaItem.Kind.RESOLUTION and resolution.session == y.session
    assert "民生实事项目的决定（2项）" in resolution.title


def test_a_tie_on_the_last_place_chooses_none_of_the_tied_and_is_reported(cast):
    y = township_year(cast)
    a, b, c, d = candidates(y, n=4)
    ballot = paper(y, services.ballot_open(session=y.session, actor=y.staff), 9, 9, 9, 0, (9, 8, 5, 5))
    assert sorted(ballot.tied) == sorted([c.pk, d.pk])
    statuses = dict(Project.objects.values_list("pk", "status"))
    assert statuses[a.pk] == statuses[b.pk] == S.CHOSEN
    assert statuses[c.pk] == statuses[d.pk] == S.CANDIDATE


def test_each_present_deputy_votes_once_on_the_phone_and_nobody_can_tell_who_chose_what(cast):
    y = township_year(cast, present=8)
    a, b, c, d = candidates(y, n=4)
    ballot = services.ballot_open(session=y.session, actor=y.staff)
    me = cast.deputy_a
    with pytest.raises(ValidationError, match="最多赞成 3 个"):
        services.ballot_cast(ballot=ballot, deputy=me, project_ids=[a.pk, b.pk, c.pk, d.pk], actor=me.user)
    services.ballot_cast(ballot=ballot, deputy=me, project_ids=[a.pk, b.pk], actor=me.user)
    with pytest.raises(ValidationError, match="只能投票一次"):
        services.ballot_cast(ballot=ballot, deputy=me, project_ids=[c.pk], actor=me.user)
    with pytest.raises(PermissionDenied):  # nobody votes in another's name
        services.ballot_cast(ballot=ballot, deputy=cast.deputy_a2, project_ids=[c.pk], actor=me.user)
    absent = y.deputies[8]  # not marked present at the roll call
    absent.user = cast.deputy_b.user
    with pytest.raises(PermissionDenied):
        services.ballot_cast(ballot=ballot, deputy=absent, project_ids=[a.pk], actor=cast.deputy_b.user)
    with pytest.raises(ValidationError, match="不能再录入纸质票"):
        paper(y, ballot, 8, 8, 8, 0, (8, 8, 8, 0))
    # who voted is kept apart from the counts: the voter row has no project, a project no voter
    assert BallotVoter.objects.filter(ballot=ballot).count() == 1
    assert {f.name for f in BallotVoter._meta.get_fields()} == {"id", "ballot", "deputy", "voted_at"}
    ballot = services.ballot_count(ballot=ballot, actor=y.staff)
    assert (ballot.ballots_issued, ballot.ballots_returned, ballot.ballots_valid) == (8, 1, 1)
    # one vote is short of the 5 needed: nothing is chosen, and no resolution is recorded
    assert not Project.objects.filter(status=S.CHOSEN).exists() and ballot.resolution is None


def _chosen(y):
    a, b, c, _d = candidates(y, n=4)
    paper(y, services.ballot_open(session=y.session, actor=y.staff), 9, 9, 9, 0, (9, 8, 7, 2))
    return [Project.objects.get(pk=p.pk) for p in (a, b, c)]


def test_the_responsible_unit_reports_progress_and_proposers_hear_of_each_change_once(
    cast, django_capture_on_commit_callbacks
):
    y = township_year(cast)
    project = _chosen(y)[0]
    project.proposers.add(cast.deputy_a)
    services.supervisors_set(project=project, deputies=[cast.deputy_a2], actor=y.staff)
    officer = cast.unit_officer_a if project.unit_id == cast.unit_a.pk else cast.unit_officer_a2
    other = cast.unit_officer_a2 if officer == cast.unit_officer_a else cast.unit_officer_a
    with pytest.raises(PermissionDenied):
        services.progress_report(project=project, percent=30, text="已开工", actor=other)
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report(project=project, percent=30, text="管网已开挖", actor=officer)
        services.progress_report(project=project, percent=30, text="雨天停工", actor=officer)
    with pytest.raises(ValidationError, match="不能低于上次"):
        services.progress_report(project=project, percent=20, text="返工", actor=officer)
    project.refresh_from_db()
    assert (project.status, project.progress) == (S.IN_PROGRESS, 30)
    for deputy in (cast.deputy_a, cast.deputy_a2):
        notes = Notification.objects.filter(recipient=deputy.user, verb="livelihood_progress")
        assert list(notes.values_list("title", flat=True)) == [f"民生实事项目“{project.title}”进度更新为 30%"]
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report(project=project, percent=100, text="竣工验收", actor=officer)
    project.refresh_from_db()
    assert project.status == S.COMPLETED and project.completed_on == dt.date.today()
    assert Notification.objects.filter(recipient=cast.deputy_a.user, verb="livelihood_progress").count() == 2


def test_an_overdue_milestone_reminds_the_unit_once_and_then_the_staff(
    cast, django_capture_on_commit_callbacks
):
    y = township_year(cast)
    project = _chosen(y)[0]
    officer = cast.unit_officer_a if project.unit_id == cast.unit_a.pk else cast.unit_officer_a2
    due = dt.date(YEAR, 6, 30)
    services.milestone_add(project=project, title="完成招投标", due_date=due, actor=officer)
    done = services.milestone_add(project=project, title="施工图设计", due_date=due, actor=officer)
    services.milestone_done(milestone=done, done_on=dt.date(YEAR, 1, 20), actor=officer)
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(due + dt.timedelta(days=2)))
    sweep(cap, at(due + dt.timedelta(days=3)))
    unit_notes = Notification.objects.filter(recipient=officer, rule="livelihood_overdue")
    assert unit_notes.count() == 1
    assert unit_notes.get().target_id == Milestone.objects.get(title="完成招投标").pk
    assert Notification.objects.filter(recipient=y.staff, rule="livelihood_overdue_staff").count() == 1
    assert not Notification.objects.filter(target_id=done.pk, rule__startswith="livelihood").exists()


def test_year_end_score_is_secret_gives_a_rate_per_project_and_rectification_for_the_unsatisfied(cast):
    y = township_year(cast)
    good, poor, third = _chosen(y)
    appraisal = services.score_open(township=y.township, year=YEAR, actor=y.staff)
    with pytest.raises(ValidationError, match="已组织测评"):
        services.score_open(township=y.township, year=YEAR, actor=y.staff)
    for p in (good, poor, third):
        p.refresh_from_db()
    # paper ballots for seven deputies, the two with logins score on their phones
    sup.appraisal_enter_paper(
        appraisal=appraisal,
        counts={
            good.appraisal_target_id: (6, 1, 0),
            poor.appraisal_target_id: (2, 1, 4),
            third.appraisal_target_id: (5, 2, 0),
        },
        actor=y.staff,
    )
    targets = {p.pk: p.appraisal_target_id for p in Project.objects.filter(status=S.CHOSEN)}
    for deputy in (cast.deputy_a, cast.deputy_a2):
        sup.appraisal_cast(
            appraisal=appraisal,
            deputy=deputy,
            choices={t: ("unsatisfied" if pk == poor.pk else "satisfied") for pk, t in targets.items()},
            actor=deputy.user,
        )
    created = sup.appraisal_close(appraisal=appraisal, actor=y.staff)
    poor.refresh_from_db()
    good.refresh_from_db()
    assert good.appraisal_target.satisfaction_rate == 100.0
    assert poor.appraisal_target.satisfaction_rate == round(3 * 100 / 9, 1)
    assert [r.unit_id for r in created] == [poor.unit_id]
    assert Rectification.objects.get().appraisal_target.livelihood_project == poor


def test_figures_reach_the_stats_api_and_the_annual_report(cast):
    y = township_year(cast)
    first, second, _third = _chosen(y)
    officer = {cast.unit_a.pk: cast.unit_officer_a, cast.unit_a2.pk: cast.unit_officer_a2}
    # planned for 30 November: the first finishes in time, the second a day late
    with time_machine.travel(dt.datetime(YEAR, 11, 20, 10, tzinfo=TZ), tick=False):
        services.progress_report(project=first, percent=100, text="竣工", actor=officer[first.unit_id])
    with time_machine.travel(dt.datetime(YEAR, 12, 1, 10, tzinfo=TZ), tick=False):
        services.progress_report(project=second, percent=100, text="竣工", actor=officer[second.unit_id])
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    stats = selectors.township_stats(township_ids=[y.township.pk], start=start, end=end)[y.township.pk]
    assert stats["livelihood_candidates"] == 4
    assert stats["livelihood_chosen"] == 3
    assert (stats["livelihood_completed"], stats["livelihood_on_time"]) == (2, 1)
    assert stats["livelihood_completion_rate"] == 66.7

    from presidium.services import api_key_create

    _key, raw = api_key_create(name="大屏", actor=cast.staff_a, township=y.township)
    api = cast.client_for(None).get(
        f"/api/v1/stats/townships/{y.township.pk}/",
        {"start": start.isoformat(), "end": end.isoformat()},
        HTTP_AUTHORIZATION=f"Api-Key {raw}",
    )
    assert api.status_code == 200, api.content
    section = api.json()["sections"]["livelihood"]
    assert (section["livelihood_chosen"], section["livelihood_completed"]) == (3, 2)

    from reports.content import build_annual_report

    with time_machine.travel(dt.datetime(YEAR, 12, 15, 10, tzinfo=TZ), tick=False):
        report = build_annual_report(y.township, YEAR, user=y.staff)
    chapter = next(c for c in report["chapters"] if c.section == "livelihood")
    text = "".join(chapter.opening)
    assert "实行民生实事项目人大代表票决制，大会对4个候选项目进行票决，确定民生实事项目3个。" in text
    assert "在代表监督下，已完成2个，其中按期完成1个，完成率66.7%。" in text
    assert f"“{first.title}”" in text
    table = chapter.tables[0]
    assert [row[0] for row in table.rows] == [first.title, second.title, _third.title]


def test_the_performance_archive_counts_supervised_and_proposed_projects(cast):
    from presidium.registry import archive_sources

    y = township_year(cast)
    first, second, _third = _chosen(y)
    first.proposers.add(cast.deputy_a)
    services.supervisors_set(project=first, deputies=[cast.deputy_a, cast.deputy_a2], actor=y.staff)
    services.supervisors_set(project=second, deputies=[cast.deputy_a], actor=y.staff)
    source = archive_sources()["livelihood"]
    counts = source([cast.deputy_a.pk, cast.deputy_a2.pk], dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    assert counts[cast.deputy_a.pk] == {"livelihood_supervised": 2, "livelihood_proposed": 1}
    assert counts[cast.deputy_a2.pk] == {"livelihood_supervised": 1, "livelihood_proposed": 0}
    last_year = source([cast.deputy_a.pk], dt.date(YEAR - 1, 1, 1), dt.date(YEAR - 1, 12, 31))
    assert last_year[cast.deputy_a.pk] == {"livelihood_supervised": 0, "livelihood_proposed": 0}


def test_an_inspection_of_the_township_is_linked_to_a_project_and_another_townships_is_refused(cast):
    from tests.supervision import factories as sf

    y = township_year(cast)
    project = _chosen(y)[0]
    mine = sf.activity(y.township, actor=y.staff, topic="污水管网施工现场视察")
    theirs = sf.activity(cast.township_b, actor=cast.staff_b, topic="乙镇视察")
    services.activity_link(project=project, activity=mine, actor=y.staff)
    with pytest.raises(ValidationError):
        services.activity_link(project=project, activity=theirs, actor=y.staff)
    assert list(project.activities.all()) == [mine]
