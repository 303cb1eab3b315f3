"""The event rows of the livelihood project workflow (Saleor's ``order/events.py`` manner): services
call these functions; nothing else creates the rows."""

from django.utils.translation import gettext as _

from .models import Project, ProjectEvent


def transition(*, project: Project, **fields) -> ProjectEvent:
    """A status change of the project (``StatusEvent.record``'s keywords)."""
    return ProjectEvent.record(project, **fields)


def proposed(*, project: Project, actor) -> ProjectEvent:
    return ProjectEvent.record(project, actor=actor, to_status=project.status)


def appraisal_opened(*, project: Project, actor) -> ProjectEvent:
    """The year-end satisfaction appraisal opened (recorded on the session's first project)."""
    return ProjectEvent.record(
        project,
        actor=actor,
        from_status=project.status,
        to_status=project.status,
        comment=str(_("年终满意度测评开始")),
    )
