"""A deputy's code (代表码): the card and its QR code."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from presidium.models import Role
from presidium.permissions import role_required

from .. import selectors, services
from ..models import VoterOpinion
from .common import READERS, qr_svg_response


def _deputy_code_url(request, deputy):
    token = services.deputy_code_token(deputy=deputy)
    return request.build_absolute_uri(reverse("deputies:deputy_message", kwargs={"token": token}))


def _card(request, deputy, *, own: bool):
    messages_qs = deputy.code_messages.order_by("-created_at", "-pk")
    return render(
        request,
        "deputies/deputy_card.html",
        {
            "deputy": deputy,
            "own": own,
            "public_url": _deputy_code_url(request, deputy),
            "recent": messages_qs[:10],
            "open_count": messages_qs.filter(
                status=VoterOpinion.Status.OPEN, responded_at__isnull=True
            ).count(),
        },
    )


@role_required(Role.DEPUTY)
def my_card(request):
    """The deputy's own 代表码 card: print it or show it on the phone for voters to scan."""
    deputy = selectors.deputy_for_user(request.user)
    if deputy is None:
        raise Http404
    return _card(request, deputy, own=True)


@role_required(*READERS, Role.DEPUTY)
def deputy_card(request, pk):
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    return _card(request, deputy, own=deputy.user_id == request.user.pk)


@role_required(*READERS, Role.DEPUTY)
def deputy_card_qr(request, pk):
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    return qr_svg_response(request, _deputy_code_url(request, deputy), deputy.name, "-代表码.svg")
