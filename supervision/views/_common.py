"""Helpers shared by the supervision views (the rest of the view plumbing is ``presidium.viewkit``)."""

from presidium.models import Role
from presidium.uploads import serve_upload

READERS = (Role.STAFF, Role.COUNTY)
STAFF = (Role.STAFF,)


def _file_response(field, name):
    return serve_upload(field, name=name)
