"""The engine's SQL names only valid choices (issue 9: enum literals built from ``choices``).

Every statement of ``slas.evaluation`` is rendered with every kind of scope;
each quoted literal left in it (comments stripped) must be a value of a
``slas.choices`` list, or one of the few literals that are not enum values
(date_trunc units, intervals, the empty string). A misspelt status in the
SQL would compile and silently match no row; this test names it.
"""

from __future__ import annotations

import re

import pytest
from django.db import models

from slas import choices
from slas.evaluation import literals, scopes, sql, trend

# Literals of the SQL that are not enum values, each with why it is there.
NOT_ENUMS = {
    "": "empty workflow columns of a new breach",
    "day": "date_trunc unit",
    "week": "date_trunc unit (ISO week)",
    "month": "date_trunc unit",
    "quarter": "date_trunc unit",
    "1 day": "interval of a daily period",
    "7 days": "interval of a weekly period",
    "1 month": "interval of a monthly period",
    "3 months": "interval of a quarterly period",
    "2000-01-01": "epoch of the 'last' aggregate's day numbers",
}
CHOICE_VALUES = {
    str(value)
    for obj in vars(choices).values()
    if isinstance(obj, type)
    and issubclass(obj, models.Choices)
    and obj.__module__ == choices.__name__
    for value in obj.values
}
_COMMENT = re.compile(r"--[^\n]*")
_LITERAL = re.compile(r"'((?:[^']|'')*)'")


def literals_of(statement: str) -> set[str]:
    """The quoted literals of an SQL text, comments left out."""
    return set(_LITERAL.findall(_COMMENT.sub("", statement)))


def invalid_literals(statement: str) -> set[str]:
    """Literals that are no choice's value, and placeholders a plain string left unfilled."""
    unfilled = set(re.findall(r"\{[A-Z_]+\}", _COMMENT.sub("", statement)))
    return (literals_of(statement) - CHOICE_VALUES - set(NOT_ENUMS)) | unfilled


SCOPES = {
    "range": scopes.range_fragments(with_ids=False, with_since=False),
    "range with ids and since": scopes.range_fragments(with_ids=True, with_since=True),
    "touched": scopes.touched_fragments(),
}
STATEMENTS = {"EVALUATE": sql.EVALUATE, "SETTLE": sql.SETTLE, "TOTALS": sql.TOTALS}


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("statement", STATEMENTS)
def test_every_literal_of_the_engine_is_a_valid_choice(statement, scope):
    rendered = sql.render(STATEMENTS[statement], SCOPES[scope])
    assert invalid_literals(rendered) == set()


def test_the_other_engine_sql_too():
    for text in (scopes.TOUCHED_TARGETS, sql.LOCK, sql.RESULT_CONFLICT, trend._SQL):
        assert invalid_literals(text) == set()


def test_the_check_finds_a_misspelt_status():
    broken = sql.EVALUATE.replace(literals.WITHDRAWN, "'withdrawnn'", 1)
    assert broken != sql.EVALUATE
    assert invalid_literals(sql.render(broken, SCOPES["range"])) == {"withdrawnn"}


def test_the_statements_do_use_the_enum_values():
    # The check above is not vacuous: the statements compare these values.
    rendered = sql.render(sql.EVALUATE, SCOPES["range"]) + sql.render(sql.SETTLE, SCOPES["range"])
    used = literals_of(rendered) & CHOICE_VALUES
    assert {"breached", "at_risk", "met", "withdrawn", "waived", "pending", "sla"} <= used


def test_a_literal_is_built_only_from_a_choice():
    assert literals.lit(choices.BreachStatus.WITHDRAWN) == "'withdrawn'"
    assert literals.NOT_DUE == "('waived', 'withdrawn')"
