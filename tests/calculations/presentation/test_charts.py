"""calculations.presentation.charts: the data every chart of the pages is drawn from."""

from __future__ import annotations

from calculations.presentation.charts import PALETTE, profile_colours, range_chart, series_chart
from calculations.presentation.numbers import Unit

MWH = Unit("MWh", 0.001)


def test_range_chart_gives_values_and_ranges_in_the_display_unit():
    chart = range_chart(MWH, ["a", "b"], [{"value": 1500.0, "low": 1000.0, "high": 2500.0},
                                         {"value": 20.0, "low": 10.0, "high": 30.0}], ["#000", "#111"])
    assert chart["values"] == [1.5, 0.02]
    assert chart["ranges"] == [[1.0, 2.5], [0.01, 0.03]]
    assert (chart["kind"], chart["unit"], chart["labels"]) == ("range", "MWh", ["a", "b"])


def test_range_chart_says_its_direction_only_when_asked():
    assert "horizontal" not in range_chart(MWH, [], [], [])
    assert range_chart(MWH, [], [], [], horizontal=False)["horizontal"] is False


def test_series_chart_converts_every_dataset():
    chart = series_chart("stacked", MWH, ["d1"], [{"label": "chatbot", "data": [2000.0], "colour": "#000"}])
    assert chart["datasets"] == [{"label": "chatbot", "data": [2.0], "colour": "#000"}]


def test_profile_colours_follow_the_palette_and_wrap_around():
    codes = [f"p{i}" for i in range(len(PALETTE) + 1)]
    colours = profile_colours(codes)
    assert colours["p0"] == PALETTE[0] and colours[codes[-1]] == PALETTE[0]
