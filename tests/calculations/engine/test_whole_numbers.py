"""Number forms of the engine's documents (calculations/engine/numbers.py)."""

import pytest

from calculations.engine.numbers import whole_number


@pytest.mark.parametrize(("number", "written"), [(1500.0, 1500), (1500, 1500), (0.0, 0), (1.5, 1.5), (0.015, 0.015)])
def test_a_whole_number_is_written_as_an_integer_and_any_other_unchanged(number, written):
    assert whole_number(number) == written and type(whole_number(number)) is type(written)
