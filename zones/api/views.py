"""Read-only API views: the same zones, filters and visibility rules as the finder."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from dashboards import responses
from dashboards.cache import settled_version
from zones import selectors
from zones.filtersets import ZoneFilterSet
from zones.illustrative import includes_illustrative
from zones.page import public_version

from .serializers import OfficialZoneDetailSerializer, ZoneDetailSerializer, ZoneListSerializer


def content_language(request) -> str:
    """The language an API client asks for in ``Accept-Language`` (``ur``, ``zh-hans``,
    ``zh-CN`` …); English when it asks for none we speak. The API's URLs carry no language
    prefix, so the header is the way to ask."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ZonePagination(PageNumberPagination):
    """Page-number pagination where a page that does not exist is a bad request (400)."""

    page_size = 50
    invalid_page_message = _("There is no page “{page_number}”: {message}.")

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise ValidationError({self.page_query_param: [str(exc.detail)]}) from exc


PARAMETER_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description="Invalid parameters: each one with its messages.",
)
NOT_FOUND = OpenApiResponse(
    response={
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    description="No such zone, or not visible to you.",
)


ILLUSTRATIVE = OpenApiParameter(
    "illustrative",
    str,
    enum=["include", "exclude"],
    description="`include`: count (and, in a zone's detail, list) the records invented for "
    "the demo (is_illustrative); by default only real, sourced records are counted and "
    "listed.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List zones",
        description=(
            "Zones published to investors (officials see all), filtered and sorted by the "
            "same parameters as the finder page at /zones/. Invalid parameters give a 400 "
            "with a message per parameter."
        ),
        parameters=[ILLUSTRATIVE],
        responses={200: ZoneListSerializer(many=True), 400: PARAMETER_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One zone, with utilities, disputes, milestones and firms",
        parameters=[ILLUSTRATIVE],
        responses={200: ZoneDetailSerializer, 404: NOT_FOUND},
    ),
)
class ZoneViewSet(viewsets.ReadOnlyModelViewSet):
    """Special economic zones, read-only."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"  # a zone slug, as the schema then says
    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ZoneFilterSet
    pagination_class = ZonePagination

    def dispatch(self, request, *args, **kwargs):
        """Zones' names, descriptions and titles in the language asked for (falling back to
        English where a translation is missing), sorted and searched as in that language."""
        language = content_language(request)

        def build():
            with translation.override(language):
                response = super(ZoneViewSet, self).dispatch(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()  # while the asked language is active (lazy texts)
            return response

        # Asked again for what it holds, a client gets a 304; the public, a kept copy (of a
        # zone's detail, named by that zone's version; of a list, by the settled version).
        slug = kwargs.get("slug")
        response = responses.versioned(
            request,
            scope="api:zones",
            variant=language,
            build=build,
            public_version=(lambda: public_version(slug=slug)) if slug else settled_version,
        )
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.zones_for_detail(
                user=self.request.user,
                include_illustrative=includes_illustrative(self.request.query_params),
            )
        return selectors.zones_for_listing(user=self.request.user)

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        include = includes_illustrative(self.request.query_params)
        return selectors.attach_free_land(page, include_illustrative=include)

    def get_serializer_class(self):
        if self.action == "retrieve":
            if selectors.sees_internal_fields(self.request.user):
                return OfficialZoneDetailSerializer
            return ZoneDetailSerializer
        return ZoneListSerializer


def api_not_found(request, *args, **kwargs):
    """Any other URL under /api/ (a malformed slug, a typo): a JSON 404 like the API's own."""
    return JsonResponse({"detail": str(_("Not found."))}, status=404)
