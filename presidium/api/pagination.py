"""Page-number pagination that refuses what its schema does not allow (``?page=``, ``?page=abc``,
``?page=0``) instead of quietly showing the first page; documented with its bounds."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

MAX_PAGE = 10**9


class StrictPageNumberPagination(PageNumberPagination):
    def check_page(self, request):
        if self.page_query_param in request.query_params:
            raw = request.query_params[self.page_query_param]
            if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE):
                raise NotFound(_("页码无效。"))

    def get_page_number(self, request, paginator):
        self.check_page(request)
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
        return parameters
