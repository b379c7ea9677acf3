"""The per-cell step's two forms give the same bits: the vectorised one is only a faster loop."""

import math
from array import array
from datetime import date, timedelta
from itertools import chain

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculations.engine import cell_figures as module
from calculations.engine.analytics import MAX_COUNT, CellColumns
from calculations.engine.cell_figures import (
    BoundConstants,
    cell_figures,
    cell_figures_loop,
    cell_figures_vectorised,
)

PROFILES = ("chatbot", "completion", "summary")
positive = st.floats(min_value=1e-6, max_value=1e7, allow_nan=False, allow_infinity=False)
# Constants are floats or whole numbers (the config's 400 tokens, 10 000 tokens/s), some not assessed (NaN).
constant = st.one_of(positive, st.integers(min_value=1, max_value=100_000))
optional_constant = st.one_of(constant, st.just(math.nan))
count = st.integers(min_value=0, max_value=MAX_COUNT)


@st.composite
def bound_constants(draw) -> BoundConstants:
    return BoundConstants(
        input_tokens=draw(constant), output_tokens=draw(constant), prefill_tokens_per_s=draw(constant),
        decode_tokens_per_s=draw(constant), power_w=draw(constant),
        efficiency=draw(st.floats(min_value=0.05, max_value=1.0)), pue=draw(st.floats(min_value=1.0, max_value=2.0)),
        carbon_intensity=draw(constant), carbon_intensity_market=draw(optional_constant),
        embodied_g_per_replica_s=draw(optional_constant), water_l_per_kwh_it=draw(optional_constant),
        cached_input_fraction=draw(st.floats(min_value=0.0, max_value=1.0)),
    )


@st.composite
def cells_and_constants(draw):
    constants = {code: tuple(draw(bound_constants()) for _ in range(3)) for code in PROFILES}
    size = draw(st.integers(min_value=1, max_value=40))
    days, profiles, inferences, inputs, outputs, cached = [], [], [], [], [], []
    for index in range(size):
        days.append(date(2025, 1, 1) + timedelta(days=index))
        profiles.append(draw(st.sampled_from(PROFILES)))
        inferences.append(draw(st.integers(min_value=0, max_value=10**9)))
        explicit_in = draw(st.one_of(st.none(), count))
        inputs.append(explicit_in)
        outputs.append(draw(st.one_of(st.none(), count)))
        cached.append(None if explicit_in is None else draw(st.one_of(st.none(), st.integers(0, explicit_in))))
    return CellColumns(days, profiles, inferences, inputs, outputs, cached), constants


def loop_figures(cells, constants) -> bytes:
    return array("d", chain.from_iterable(cell_figures_loop(cells, constants))).tobytes()


@settings(max_examples=100, deadline=None)
@given(cells_and_constants())
def test_the_vectorised_form_gives_the_loop_s_bits_on_random_cells(case):
    cells, constants = case
    assert cell_figures_vectorised(cells, constants).tobytes() == loop_figures(cells, constants)


def test_chunks_of_a_long_upload_give_the_loop_s_bits(monkeypatch):
    monkeypatch.setattr(module, "CHUNK_CELLS", 7)
    constants = {code: tuple(BoundConstants(400, 250, 10_000.0, 50.5 * k, 700.0 * k, 0.9, 1.2, 52.0, math.nan,
                                            0.003, 1.5, 0.1) for k in (1, 2, 3))
                 for code in PROFILES}
    cells = CellColumns([date(2025, 1, 1)] * 50, [PROFILES[i % 3] for i in range(50)], list(range(50)),
                        [None if i % 4 else 1000 + i for i in range(50)], [None] * 50,
                        [None if i % 8 else i for i in range(50)])
    assert cell_figures_vectorised(cells, constants).tobytes() == loop_figures(cells, constants)


def test_token_products_beyond_exact_float_integers_keep_the_loop(monkeypatch):
    """10^12 inferences x 10^5 tokens is past 2^53: the loop's exact integer product decides."""
    def refuse(*args):
        raise AssertionError("the vectorised form was used")

    monkeypatch.setattr(module, "cell_figures_vectorised", refuse)
    constants = {"chatbot": tuple(BoundConstants(100_000, 1, 3, 7, 700, 0.9, 1.2, 52, 1, 1, 1, 1) for _ in range(3))}
    size = module.VECTORISED_FROM_CELLS
    cells = CellColumns([date(2025, 1, 1)] * size, ["chatbot"] * size, [MAX_COUNT] * size, [None] * size, [None] * size)
    assert cell_figures(cells, constants).tobytes() == loop_figures(cells, constants)


@pytest.mark.parametrize("size", [1, 63, 64, 500])
def test_cell_figures_gives_the_loop_s_bits_at_every_size(size):
    constants = {"chatbot": tuple(BoundConstants(412.5, 230, 9000.0, 45.0, 5600.0 + k, 0.909, 1.15, 54.3, 40.0,
                                                 0.0021, 1.8, 0.1) for k in range(3))}
    cells = CellColumns([date(2025, 1, 1)] * size, ["chatbot"] * size, [3 * i + 1 for i in range(size)],
                        [None] * size, [None] * size)
    assert cell_figures(cells, constants).tobytes() == loop_figures(cells, constants)


def _refused(*args):
    raise AssertionError("this form was not expected")


def test_from_sixty_four_cells_the_vectorised_form_is_used(monkeypatch):
    monkeypatch.setattr(module, "cell_figures_loop", _refused)
    size = module.VECTORISED_FROM_CELLS
    constants = {"chatbot": tuple(BoundConstants(400, 250, 10_000.0, 50.0, 700.0, 0.9, 1.2, 52.0, 40.0, 0.003, 1.5, 0.1)
                                  for _ in range(3))}
    cells = CellColumns([date(2025, 1, 1)] * size, ["chatbot"] * size, [5] * size, [None] * size, [None] * size)
    assert len(cell_figures(cells, constants)) == 18 * size


@pytest.mark.parametrize("column", ["input_tokens", "output_tokens", "cached_input_tokens"])
def test_an_explicit_count_of_two_to_the_53_keeps_the_loop(monkeypatch, column):
    """Integers from 2^53 on are no longer all exact as float64: the loop's exact integers decide."""
    monkeypatch.setattr(module, "cell_figures_vectorised", _refused)
    size = module.VECTORISED_FROM_CELLS
    counts = {"input_tokens": [1000] * size, "output_tokens": [1000] * size, "cached_input_tokens": [None] * size}
    counts[column] = [2**53] + [1000] * (size - 1)
    constants = {"chatbot": tuple(BoundConstants(1, 1, 3, 7, 700, 0.9, 1.2, 52, 1, 1, 1, 0.5) for _ in range(3))}
    cells = CellColumns([date(2025, 1, 1)] * size, ["chatbot"] * size, [1] * size, counts["input_tokens"],
                        counts["output_tokens"], counts["cached_input_tokens"])
    assert cell_figures(cells, constants).tobytes() == loop_figures(cells, constants)


def test_a_token_product_of_exactly_two_to_the_53_keeps_the_loop(monkeypatch):
    monkeypatch.setattr(module, "cell_figures_vectorised", _refused)
    size = module.VECTORISED_FROM_CELLS
    constants = {"chatbot": tuple(BoundConstants(2**13, 1, 3, 7, 700, 0.9, 1.2, 52, 1, 1, 1, 1) for _ in range(3))}
    cells = CellColumns([date(2025, 1, 1)] * size, ["chatbot"] * size, [2**40] * size, [None] * size, [None] * size)
    assert cell_figures(cells, constants).tobytes() == loop_figures(cells, constants)
