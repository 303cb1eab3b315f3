"""The pages as people use them: the office registers and vets candidates, enters the paper count
(an impossible total is refused with a clear message), prints the result sheet; a deputy votes on
the phone; the public page shows the year's projects and nothing private."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livelihood import services
from livelihood.models import Project, ProjectBallot
from tests.livelihood.factories import YEAR, candidates, township_year
from tests.supervision.factories import image_bytes

pytestmark = pytest.mark.django_db


def test_the_office_registers_a_candidate_from_a_form_and_bad_input_changes_nothing(cast):
    y = township_year(cast)
    client = cast.client_for(cast.staff_a)
    url = reverse("livelihood:project_new")
    data = {
        "year": YEAR,
        "title": "村道硬化",
        "content": "硬化三公里",
        "unit": cast.unit_a.pk,
        "planned_completion": f"{YEAR}-10-31",
        "source": "government",
        "estimated_cost": "120.5",
        "proposers": [cast.deputy_a.pk],
    }
    bad = client.post(url, {**data, "estimated_cost": "一百万", "unit": cast.unit_b.pk})
    assert bad.status_code == 200 and not Project.objects.exists()
    response = client.post(url, data)
    project = Project.objects.get()
    assert response.status_code == 302 and project.estimated_cost == 120.5
    assert list(project.proposers.all()) == [cast.deputy_a]
    detail = reverse("livelihood:project_detail", args=[project.pk])
    client.post(detail, {"action": "drop", "comment": ""})
    assert Project.objects.get().status == Project.Status.PROPOSED  # a refusal needs its reason
    client.post(detail, {"action": "vet", "session": y.session.pk})
    assert Project.objects.get().status == Project.Status.CANDIDATE


def test_staff_of_another_township_cannot_act_on_a_project(cast):
    y = township_year(cast)
    project = candidates(y, n=1)[0]
    for user in (cast.staff_b, cast.unit_officer_a2, cast.deputy_a.user):
        response = cast.client_for(user).post(
            reverse("livelihood:project_detail", args=[project.pk]), {"action": "unvet"}
        )
        assert response.status_code in (403, 404)
    assert Project.objects.get(pk=project.pk).status == Project.Status.CANDIDATE


def test_the_paper_count_page_refuses_an_impossible_total_with_a_clear_message(cast):
    y = township_year(cast)
    projects = candidates(y, n=4)
    client = cast.client_for(cast.staff_a)
    url = reverse("livelihood:session_vote", args=[y.session.pk])
    client.post(url, {"action": "open"})
    votes = {f"votes_{p.pk}": v for p, v in zip(projects, (9, 8, 7, 2), strict=True)}
    response = client.post(
        url, {"action": "count", "issued": 9, "returned": 9, "valid": 7, "invalid": 1, **votes}
    )
    assert "之和须等于收回选票" in response.content.decode()
    assert ProjectBallot.objects.get().ballots_issued is None
    client.post(url, {"action": "count", "issued": 9, "returned": 9, "valid": 9, "invalid": 0, **votes})
    assert Project.objects.filter(status=Project.Status.CHOSEN).count() == 3
    page = client.get(url).content.decode()
    assert "票决结果" in page and "关于票决产生" in page
    pdf = client.get(reverse("livelihood:session_vote_pdf", args=[y.session.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_deputy_votes_on_the_phone_once(cast):
    y = township_year(cast)
    a, b, *_rest = candidates(y, n=4)
    ballot = services.ballot_open(session=y.session, actor=y.staff)
    client = cast.client_for(cast.deputy_a.user)
    assert "正在票决" in client.get(reverse("livelihood:index")).content.decode()
    url = reverse("livelihood:ballot_vote", args=[ballot.pk])
    client.post(url, {"project": [a.pk, b.pk]})
    again = client.post(url, {"project": [a.pk]}, follow=True)
    assert "只能投票一次" in again.content.decode() or "您已投票" in again.content.decode()
    assert sorted(Project.objects.values_list("votes_app", flat=True)) == [0, 0, 1, 1]


def test_the_public_page_lists_the_years_projects_and_nothing_private(cast, django_assert_max_num_queries):
    y = township_year(cast)
    a, b, c, d = candidates(y, n=4)
    Project.objects.filter(pk=a.pk).update(leader="张副镇长")
    a.proposers.add(cast.deputy_a)
    services.ballot_count(
        ballot=services.ballot_open(session=y.session, actor=y.staff),
        actor=y.staff,
        ballots={"issued": 9, "returned": 9, "valid": 9, "invalid": 0},
        votes={a.pk: 9, b.pk: 8, c.pk: 7, d.pk: 2},
    )
    a.refresh_from_db()
    services.supervisors_set(project=a, deputies=[cast.deputy_a2], actor=y.staff)
    services.progress_report(
        project=a,
        percent=45,
        text="内部说明：资金缺口80万",
        actor=cast.unit_officer_a,
        photo=SimpleUploadedFile("现场.jpg", image_bytes(), content_type="image/jpeg"),
    )
    url = reverse("livelihood:public", args=[y.township.pk])
    with django_assert_max_num_queries(4):
        response = cast.client_for(None).get(url, {"year": YEAR})
    body = response.content.decode()
    assert response.status_code == 200
    assert a.title in body and "45%" in body and d.title not in body  # not chosen: not listed
    for private in (
        cast.deputy_a.name,
        cast.deputy_a2.name,
        "张副镇长",
        "资金缺口",
        "得票",
        cast.staff_a.full_name,
    ):
        assert private not in body
    assert "/livelihood/photos/" not in body and f"/livelihood/{a.pk}/" not in body


def test_the_public_page_is_rate_limited(cast, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}),
            "livelihood_public": "2/hour",
        },
    }
    client = cast.client_for(None)
    url = reverse("livelihood:public", args=[cast.township_a.pk])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_the_list_costs_the_same_number_of_queries_for_few_or_many_projects(
    cast, django_assert_max_num_queries
):
    y = township_year(cast)
    client = cast.client_for(cast.county_staff_a)
    candidates(y, n=2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("livelihood:index"))
    candidates(y, n=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("livelihood:index"))
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        assert client.get(reverse("livelihood:export")).status_code == 200


def test_the_progress_report_for_the_presidium_meeting_names_overdue_milestones(cast):
    from pypdf import PdfReader

    y = township_year(cast)
    a, b, c, d = candidates(y, n=4)
    services.ballot_count(
        ballot=services.ballot_open(session=y.session, actor=y.staff),
        actor=y.staff,
        ballots={"issued": 9, "returned": 9, "valid": 9, "invalid": 0},
        votes={a.pk: 9, b.pk: 8, c.pk: 7, d.pk: 2},
    )
    a.refresh_from_db()
    services.milestone_add(project=a, title="完成招投标", due_date=dt.date(YEAR, 1, 31), actor=y.staff)
    services.progress_report(project=a, percent=35, text="管网铺设过半", actor=cast.unit_officer_a)
    response = cast.client_for(cast.county_staff_a).get(
        reverse("livelihood:progress_pdf", args=[y.township.pk, YEAR])
    )
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = "".join(page.extract_text() or "" for page in pages).replace(" ", "").replace("\n", "")
    assert a.title in text and "完成招投标" in text and "管网铺设过半" in text and d.title not in text


def test_a_candidate_taken_from_a_deputys_suggestion_links_it_and_counts_its_lead_deputy(cast):
    from tests.notifications.helpers import make_suggestion

    township_year(cast)
    suggestion = make_suggestion(cast.township_a, deputy=cast.deputy_a2, title="建议改造集镇污水管网")
    client = cast.client_for(cast.staff_a)
    client.post(
        reverse("livelihood:project_new"),
        {
            "year": YEAR,
            "title": "集镇污水管网改造",
            "content": "改造主街管网",
            "unit": cast.unit_a.pk,
            "planned_completion": f"{YEAR}-11-30",
            "source": "government",
            "suggestion": suggestion.pk,
        },
    )
    project = Project.objects.get()
    assert project.source == Project.Source.SUGGESTION and project.origin == suggestion
    assert list(project.proposers.all()) == [cast.deputy_a2]
    page = client.get(reverse("livelihood:project_detail", args=[project.pk])).content.decode()
    assert reverse("suggestions:detail", args=[suggestion.pk]) in page
