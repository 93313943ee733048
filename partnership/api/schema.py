"""OpenAPI schema details drf-spectacular cannot read from the shared FilterSets by itself."""

from django_filters import NumberFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension, _NoHint
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes


class FilterSetParameters(DjangoFilterExtension):
    """Parameter types for filters that use a `method` without a type hint (a slug, a country
    code, a year or a date is a string; a year of NumberFilter an integer), and the bounds the
    filters declare. The FilterSets belong to their apps, so the schema learns this here
    rather than from annotations added to them."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter["schema"]
            if isinstance(filter_field, NumberFilter) and filter_field.method:
                schema.update(build_basic_type(OpenApiTypes.INT))
            if filter_field.extra.get("min_value") is not None:
                schema["minimum"] = filter_field.extra["min_value"]
            if filter_field.extra.get("max_value") is not None:
                schema["maximum"] = filter_field.extra["max_value"]
            if filter_field.extra.get("max_length") is not None:
                schema["maxLength"] = filter_field.extra["max_length"]
        return parameters

    def _get_filter_method_hint(self, filter_method):
        hint = super()._get_filter_method_hint(filter_method)
        if hint is _NoHint and filter_method is not None:
            return OpenApiTypes.STR
        return hint
