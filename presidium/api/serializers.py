from rest_framework import serializers

from ..models import County, HandlingUnit, Township


class CountySerializer(serializers.ModelSerializer):
    class Meta:
        model = County
        fields = ["id", "name", "code", "province"]


class TownshipSerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = Township
        fields = ["id", "name", "code", "kind", "county_id", "county"]


class HandlingUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "township_id", "is_active"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    county_id = serializers.IntegerField(allow_null=True)
    township_id = serializers.IntegerField(allow_null=True)
