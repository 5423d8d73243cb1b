"""The OpenAPI schema's post-processing (the API's permission base is cases.api.permissions)."""


# A refused write names the fields it refuses (cases/api/serializers.py FieldErrorsSerializer): any field
# of the request, each with a list of messages.
OPEN_COMPONENTS = {"FieldErrors": {"type": "array", "items": {"type": "string"}}}


def schema_objects_closed(result, generator, request, public):
    """drf-spectacular post-processing hook: our serializers send exactly the fields they declare, so
    every object in the schema says `additionalProperties: false`. That also makes the per-audience
    `oneOf` (staff or oversight shape) match exactly one shape, as oneOf requires."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name in OPEN_COMPONENTS:
            component["additionalProperties"] = OPEN_COMPONENTS[name]
        elif component.get("type") == "object" and "properties" in component:
            component.setdefault("additionalProperties", False)
    return result
