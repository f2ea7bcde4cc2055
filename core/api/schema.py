"""What the OpenAPI schema says beyond drf-spectacular's defaults, so generated clients work.

* Every operation documents its error answers with their bodies: 400
  (``{"field": ["message"]}``), 401, 403, 404, and 409 on deletes (the
  object is still referenced).
* A ``POST`` that honours ``Idempotency-Key`` (every viewset built on
  ``core.api.viewsets.ScopedModelViewSet``, or any view with
  ``core.api.idempotency.IdempotencyMixin``) declares the header, and its
  409 (key still in use) and 422 (key reused with another body); a 201
  declares its ``Location`` header.
* Fields a vendor representative does not receive (``internal_fields``, see
  ``core.permissions.hidden_fields``) are optional in responses, so a client
  generated from the schema accepts their absence.
* The token scheme: ``Authorization: Token <key>`` (knox).
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

ERROR_SCHEMAS = {
    "ErrorDetail": {
        "type": "object",
        "description": "An error that concerns the request as a whole.",
        "properties": {
            "detail": {"type": "string", "description": "What went wrong, for a person."},
        },
        "required": ["detail"],
    },
    "ConflictError": {
        "type": "object",
        "description": (
            "The request conflicts with the stored data: the object is still referenced "
            "(``referenced_by`` names by what), or the Idempotency-Key is still in use."
        ),
        "properties": {
            "detail": {"type": "string"},
            "referenced_by": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["detail"],
    },
    "ValidationErrors": {
        "type": "object",
        "description": (
            "Field errors: each key is a field name (``non_field_errors`` for the request "
            "as a whole), each value the list of messages; for a nested or list field, an "
            "object of the same shape keyed by sub-field or 0-based index."
        ),
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "additionalProperties": {}},
            ]
        },
    },
}

ERRORS = {
    "400": ("ValidationErrors", "Invalid input; nothing was written."),
    "401": ("ErrorDetail", "No or invalid credentials (send `Authorization: Token <key>`)."),
    "403": ("ErrorDetail", "Authenticated, but this role may not do this to this object."),
    "404": ("ErrorDetail", "No such object, or outside the caller's scope."),
    "409": ("ConflictError", "Conflict with stored data (referenced object, key in use)."),
    "422": ("ValidationErrors", "The Idempotency-Key was first used with a different request."),
}


class CovenantAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the error answers and headers every operation has."""

    def _idempotent(self) -> bool:
        """Does this operation honour ``Idempotency-Key`` (a POST of an IdempotencyMixin view)?"""
        from core.api.idempotency import IdempotencyMixin

        return self.method == "POST" and isinstance(self.view, IdempotencyMixin)

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404"]
        if self.method == "DELETE" or self._idempotent():
            codes.append("409")
        if self._idempotent():
            codes.append("422")
        return codes

    def _error_ref(self, name: str) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=ERROR_SCHEMAS[name]
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            name, description = ERRORS[code]
            answer = responses.setdefault(code, {"description": description})
            answer.setdefault("content", {"application/json": {"schema": self._error_ref(name)}})
            if not answer.get("description"):
                answer["description"] = description
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response") -> dict:
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "201":
            headers.setdefault(
                "Location",
                {"schema": {"type": "string"}, "description": "The URL of the created object."},
            )
        return headers

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._idempotent():
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=False,
                    description=(
                        "Any unique string (a UUID). The same key and body again within 24 "
                        "hours returns the first answer and creates nothing; the same key with "
                        "a different body is 422; while the first is still running, 409."
                    ),
                )
            )
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        hidden = set(getattr(model, "internal_fields", ()))
        if direction == "response" and hidden and schema.get("required"):
            schema["required"] = [n for n in schema["required"] if n not in hidden]
            if not schema["required"]:
                del schema["required"]
        return schema


class TokenScheme(OpenApiAuthenticationExtension):
    """knox tokens, sent as ``Authorization: Token <key>`` (not ``Bearer``)."""

    target_class = "knox.auth.TokenAuthentication"
    name = "tokenAuth"
    priority = 1  # over drf-spectacular's own knox extension

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Authorization: Token <key>` — the word Token, a space, then the key printed "
                "by `manage.py create_api_token <username>`."
            ),
        }


NULL_ENUM_REF = {"$ref": "#/components/schemas/NullEnum"}


def postprocess_null_enums(result, generator, **kwargs):
    """A nullable choice reads ``allOf: [XEnum], nullable: true``, not ``oneOf: [XEnum, NullEnum]``.

    drf-spectacular spells null as a component ``NullEnum`` (``enum: [null]``),
    from which openapi-generator's Python client writes a class that does not
    compile. OpenAPI 3.0's own ``nullable`` says the same, and every generator
    reads it. Runs after drf-spectacular's enum hook (``POSTPROCESSING_HOOKS``).
    """

    def rewrite(node):
        if isinstance(node, dict):
            one_of = node.get("oneOf")
            if isinstance(one_of, list) and NULL_ENUM_REF in one_of:
                rest = [item for item in one_of if item != NULL_ENUM_REF]
                del node["oneOf"]
                node["nullable"] = True
                if len(rest) == 1:
                    node["allOf"] = rest
                else:
                    node["oneOf"] = rest
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    rewrite(result.get("paths", {}))
    schemas = result.get("components", {}).get("schemas", {})
    rewrite(schemas)
    schemas.pop("NullEnum", None)
    return result
