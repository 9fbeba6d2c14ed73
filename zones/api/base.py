"""The API's field types and the base of its record serializers: URL columns that may be
blank, milestone codes that may be null, and a record's own columns read straight off it."""

from __future__ import annotations

import copy

from django.db import models
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject


@extend_schema_field(
    {
        "type": "string",
        "anyOf": [{"format": "uri"}, {"maxLength": 0}],
        "description": "A URL, or empty when none is recorded.",
    }
)
class OptionalURLField(serializers.CharField):
    """A URL column that may be blank: the schema says "a URL or empty", as the data is."""


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^[-a-zA-Z0-9_]+$",
        "nullable": True,
        "description": "A milestone's code; null where the target is not a completion date.",
    }
)
class MilestoneCodeField(serializers.CharField):
    """A milestone code, or null: quantity targets name no milestone, and an empty string
    would break the slug pattern the schema promises."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class ModelSerializer(serializers.ModelSerializer):
    """Blank-able URL columns come out as :class:`OptionalURLField`; a field that shows one
    of the record's own columns reads it straight off the record.

    DRF's ``Field.get_attribute`` walks the field's source path with a check for mappings,
    callables and missing attributes at each step: about half of what a plain column costs to
    show, and a zone's detail shows a hundred firms of a dozen columns each. A column read
    with ``getattr`` is a plain value, so what comes out is the same (``tests/zones/
    test_api_output.py`` compares it with DRF's own way); every other field (properties,
    related objects, method fields) goes DRF's way."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: OptionalURLField,
    }

    def get_fields(self) -> dict[str, serializers.Field]:
        """DRF's fields for this serializer class, built from the model once per class and
        copied for each serializer, as DRF copies a serializer's declared fields. DRF builds
        them afresh for every serializer it makes (each column's field class and arguments
        found from the model), a tenth of the API's zone detail; nothing of ours builds a
        field from a serializer's instance or context."""
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)

    @cached_property
    def _shown_fields(self) -> tuple[tuple[str, str | None, serializers.Field], ...]:
        """Each readable field: its name, the column it reads straight off the record (None
        when it goes DRF's way) and the field. Built once per serializer: the child of a
        list serves every row."""
        columns = {field.attname for field in self.Meta.model._meta.concrete_fields}
        shown = []
        for field in self._readable_fields:
            source = field.source_attrs
            plain = (
                type(field).get_attribute is serializers.Field.get_attribute
                and len(source) == 1
                and source[0] in columns
            )
            shown.append((field.field_name, source[0] if plain else None, field))
        return tuple(shown)

    def to_representation(self, instance) -> dict:
        shown = {}
        for name, column, field in self._shown_fields:
            if column is not None:
                value = getattr(instance, column)
            else:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                if isinstance(value, PKOnlyObject) and value.pk is None:
                    value = None
            shown[name] = None if value is None else field.to_representation(value)
        return shown
