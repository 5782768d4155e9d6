"""Topic rules: every operator, word boundaries, and a clear error for each malformed rule."""

from __future__ import annotations

import pytest

from app.analysis.topics.rules import RuleError, compile_rule

TITLE = "Allies weigh new arms for Ukraine"
TEXT = (
    "The U.S. will send Javelin missiles to Kyiv, officials said. The White House said the "
    "package includes howitzers. Critics called it a harmful escalation."
)


def matches(rule: str, title: str = TITLE, text: str = TEXT) -> bool:
    return compile_rule(rule).matches_text(title, text)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("ukraine", True),
        ("UKRAINE", True),  # case-insensitive
        ("ukraine AND javelin", True),
        ("ukraine AND syria", False),
        ("ukraine javelin", True),  # side by side means AND
        ("syria OR javelin", True),
        ("syria OR iran", False),
        ("NOT syria", True),
        ("NOT ukraine", False),
        ("ukraine AND NOT syria", True),
        ("ukraine AND NOT javelin", False),
        ("(syria OR ukraine) AND (howitzers OR tanks)", True),
        ("(syria OR iran) AND howitzers", False),
        ("syria OR iran AND ukraine", False),  # AND binds tighter than OR
        ("ukraine OR syria AND iran", True),
        ('"white house"', True),
        ('"house white"', False),
        ('"javelin missiles" AND "white house"', True),
        ("javelin*", True),
        ("howitz*", True),
        ("escalat*", True),
        ("missile*", True),
        ("harm", False),  # whole words only: "harmful" is not "harm"
        ("harm*", True),
        ("arms", True),
        ("arm", False),
        ("U.S.", True),  # a dotted abbreviation matches as written
        ("ukraine and javelin", True),  # operators in any case
    ],
)
def test_operators(rule: str, expected: bool) -> None:
    assert matches(rule) is expected


def test_title_and_text_are_both_searched() -> None:
    assert matches("allies", text="")
    assert matches("kyiv", title="")
    # A phrase does not run from the title into the body.
    assert not matches('"ukraine the"')


def test_possessive_matches_the_word() -> None:
    assert matches("ukraine", title="", text="Ukraine's allies met.")


def test_nested_not_and_parentheses() -> None:
    assert matches("NOT (syria OR iran)")
    assert not matches("NOT NOT syria")
    assert matches("((ukraine))")


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ukraine AND", "AND at character 9 needs a word or phrase after it"),
        ("AND ukraine", "AND at character 1 needs a word or phrase before it"),
        ("OR ukraine", "OR at character 1 needs a word or phrase before it"),
        ("ukraine OR OR syria", "OR at character 9 needs a word or phrase after it"),
        ("ukraine NOT", "NOT at character 9 needs a word or phrase after it"),
        ("(ukraine OR syria", "'(' at character 1 is never closed"),
        ("ukraine)", "')' at character 8 has no matching '('"),
        ("()", "')' at character 2"),
        ('"white house', "never closed"),
        ('""', "has no words"),
        ("uk*raine", "'*' may only end a word"),
        ("*", "not a word"),
    ],
)
def test_malformed_rules_say_why(rule: str, message: str) -> None:
    with pytest.raises(RuleError) as err:
        compile_rule(rule)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
