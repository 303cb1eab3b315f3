from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .. import selectors
from .serializers import CountySerializer, HandlingUnitSerializer, MeSerializer, TownshipSerializer


class CountyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CountySerializer

    def get_queryset(self):
        return selectors.counties_visible_to(self.request.user).order_by("code")


class TownshipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TownshipSerializer
    filterset_fields = ["county_id", "kind"]

    def get_queryset(self):
        return selectors.townships_visible_to(self.request.user).order_by("code")


class HandlingUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = HandlingUnitSerializer
    filterset_fields = ["township_id", "is_active"]

    def get_queryset(self):
        return selectors.units_visible_to(self.request.user).order_by("township_id", "name")


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """Who the caller is and which scope it reads."""
    user = request.user
    return Response(
        {
            "username": user.get_username(),
            "role": "admin" if user.is_superuser else user.role,
            "county_id": getattr(user, "county_id", None),
            "township_id": getattr(user, "township_id", None),
        }
    )


def register(router):
    router.register("counties", CountyViewSet, basename="county")
    router.register("townships", TownshipViewSet, basename="township")
    router.register("units", HandlingUnitViewSet, basename="unit")
