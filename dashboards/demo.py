"""Demo data of the dashboards: a county-scoped API key for the statistics API (printed once) and
a first refresh of the summary table, so the county dashboard has figures without waiting for beat."""

from presidium.services import api_key_create

from . import services

ORDER = 70


def seed(ctx):
    county_user = ctx["users"].get("county")
    if county_user is not None:
        _key, raw = api_key_create(name="县人大数据大屏（演示）", actor=county_user, county=ctx["county"])
        out = ctx.get("stdout")
        if out is not None:
            out.write(f"    统计 API 演示密钥 / stats API demo key: Authorization: Api-Key {raw}")
            out.write(f"    例 / e.g. GET /api/v1/stats/counties/{ctx['county'].pk}/?year={ctx['year']}")
    services.refresh_figures(township_ids=[t.pk for t in ctx["townships"]])
