"""What every deputies view leans on beyond ``presidium.viewkit``: the roles that read the roster pages."""

from presidium.models import Role

READERS = (Role.STAFF, Role.COUNTY)
