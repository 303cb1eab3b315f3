"""The event rows of the livelihood project workflow (Saleor's ``order/events.py`` manner): services
call these functions; nothing else creates the rows."""

from django.utils.translation import gettext as _

from .models import Project, ProjectEvent


def transition(
    *, project: Project, actor, from_status: str, to_status: str, comment: str = "", action: str = "", **extra
) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        extra=extra,
    )


def proposed(*, project: Project, actor) -> ProjectEvent:
    return transition(project=project, actor=actor, from_status="", to_status=project.status)


def appraisal_opened(*, project: Project, actor) -> ProjectEvent:
    """The year-end satisfaction appraisal opened (recorded on the session's first project)."""
    return transition(
        project=project,
        actor=actor,
        from_status=project.status,
        to_status=project.status,
        comment=str(_("年终满意度测评开始")),
    )
