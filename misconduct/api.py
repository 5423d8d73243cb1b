"""The OpenAPI schema's post-processing (the API's permission base is cases.api.permissions)."""


def schema_objects_closed(result, generator, request, public):
    """drf-spectacular post-processing hook: our serializers send exactly the fields they declare, so
    every object in the schema says `additionalProperties: false`. That also makes the per-audience
    `oneOf` (staff or oversight shape) match exactly one shape, as oneOf requires."""
    for component in result.get("components", {}).get("schemas", {}).values():
        if component.get("type") == "object" and "properties" in component:
            component.setdefault("additionalProperties", False)
    return result
