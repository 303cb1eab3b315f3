"""Helpers shared by the supervision views (the rest of the view plumbing is ``presidium.viewkit``)."""

from django.contrib import messages
from django.utils.translation import gettext as _

from presidium.models import Role
from presidium.uploads import serve_upload
from presidium.viewkit import run_form_action

READERS = (Role.STAFF, Role.COUNTY)
STAFF = (Role.STAFF,)


def _file_response(field, name):
    return serve_upload(field, name=name)


def run_transition(request, form, transitions, service, *, fields=(), **item):
    """A workflow action chosen on an item's page: ``form`` carries ``action``, ``comment``,
    ``version`` and the action's own ``fields``; call ``service(**item, …)`` and say
    "已<action>。" when it went through."""

    def transition(data):
        return service(
            **item,
            action=data["action"],
            actor=request.user,
            comment=data["comment"],
            expected_version=data["version"],
            **{name: data[name] for name in fields},
        )

    done = run_form_action(request, form, transition)
    if done:
        messages.success(
            request, _("已%(action)s。") % {"action": transitions.label(form.cleaned_data["action"])}
        )
    return done
