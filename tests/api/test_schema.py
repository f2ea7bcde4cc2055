"""The OpenAPI schema says what a generated client needs to work without edits.

Errors documented with bodies on every operation, the token scheme, named
enums, ordering values, nullable fields, the measurement POST's two shapes,
and internal fields optional in responses (vendor users do not receive them).
"""

from __future__ import annotations

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def idempotent(op) -> bool:
    return any(
        (p["in"], p["name"]) == ("header", "Idempotency-Key") for p in op.get("parameters", [])
    )


def test_every_operation_documents_its_errors_with_bodies(schema):
    ops = list(operations(schema))
    assert len(ops) > 50
    for path, method, op in ops:
        codes = set(op["responses"])
        expected = {"400", "401", "403", "404"}
        if method == "delete":
            expected.add("409")
        if idempotent(op):
            expected |= {"409", "422"}
        assert expected <= codes, (method, path, codes)
        for code in expected:
            assert op["responses"][code]["content"]["application/json"]["schema"], (path, code)


def test_posts_that_honour_an_idempotency_key_declare_it_and_201s_a_location(schema):
    from django.urls import resolve

    from core.api.idempotency import IdempotencyMixin

    declared = set()
    for path, method, op in operations(schema):
        if method != "post":
            continue
        view = resolve(re.sub(r"\{[^}]+\}", "1", path)).func
        honours = issubclass(getattr(view, "cls", object), IdempotencyMixin)
        assert idempotent(op) is honours, path  # declared exactly where it works
        if honours:
            declared.add(path)
        if "201" in op["responses"]:
            assert "Location" in op["responses"]["201"]["headers"], path
    for path in ("vendors", "contracts", "slas", "measurements", "certifications"):
        assert f"/api/v1/{path}/" in declared


def test_request_bodies_are_json_and_multipart_only_for_uploads(schema):
    components = schema["components"]["schemas"]
    multipart = set()
    for path, _method, op in operations(schema):
        content = op.get("requestBody", {}).get("content", {})
        assert set(content) <= {"application/json", "multipart/form-data"}, (path, content)
        if "multipart/form-data" in content:
            multipart.add(path)
            ref = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
            properties = components[ref]["properties"].values()
            assert any(p.get("format") == "binary" for p in properties), (path, "no file field")
    assert {"/api/v1/certifications/", "/api/v1/certifications/{id}/"} <= multipart
    assert "/api/v1/vendors/" not in multipart


def test_the_token_scheme_says_token(schema):
    schemes = schema["components"]["securitySchemes"]
    token = schemes["tokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    assert "Token <key>" in token["description"]
    assert "knoxApiToken" not in schemes


def test_enums_are_named_after_their_choices(schema):
    names = [n for n in schema["components"]["schemas"] if n.endswith("Enum")]
    hashed = [n for n in names if re.search(r"[0-9a-f]{3}Enum$", n) and not n.startswith("Null")]
    assert hashed == []
    assert {"BreachStatusEnum", "VendorStatusEnum", "ContractStatusEnum", "TierEnum"} <= set(names)


def test_ordering_lists_its_fields(schema):
    params = schema["paths"]["/api/v1/vendors/"]["get"]["parameters"]
    [ordering] = [p for p in params if p["name"] == "ordering"]
    assert {"name", "-name", "tier", "-tier"} <= set(ordering["schema"]["enum"])
    [size] = [p for p in params if p["name"] == "page_size"]
    assert (size["schema"]["minimum"], size["schema"]["maximum"]) == (1, 500)


def test_next_renewal_date_is_nullable_and_internal_fields_optional(schema):
    contract = schema["components"]["schemas"]["Contract"]
    assert contract["properties"]["next_renewal_date"]["nullable"] is True
    assert "baseline_annual_cost" not in contract["required"]
    assert "target_savings_percent" not in contract["required"]
    assert "reference" in contract["required"]
    vendor = schema["components"]["schemas"]["Vendor"]
    assert "tier_reason" not in vendor["required"]


def test_measurement_post_documents_one_object_or_a_list(schema):
    op = schema["paths"]["/api/v1/measurements/"]["post"]
    body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    one_of = schema["components"]["schemas"][body.rsplit("/", 1)[1]]["oneOf"]
    assert {"$ref": "#/components/schemas/MeasurementRequest"} in one_of
    assert {"type": "array", "items": {"$ref": "#/components/schemas/MeasurementRequest"}} in one_of
    created = op["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    one_of = schema["components"]["schemas"][created.rsplit("/", 1)[1]]["oneOf"]
    assert {"$ref": "#/components/schemas/Measurement"} in one_of
    assert {"$ref": "#/components/schemas/MeasurementBulkSummary"} in one_of


def test_a_nullable_choice_is_nullable_not_a_null_enum(schema):
    """openapi-generator's Python client cannot compile drf-spectacular's NullEnum."""
    schemas = schema["components"]["schemas"]
    assert "NullEnum" not in schemas
    from_tier = schemas["VendorTierChange"]["properties"]["from_tier"]
    assert from_tier["nullable"] is True
    assert from_tier["allOf"] == [{"$ref": "#/components/schemas/TierEnum"}]
