"""Timeline charts: a real PNG from matplotlib and a Vega-Lite spec with every point."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_helpers import fill

from tolltrack.charts import ChartError, figure_words, plot_png, vega_lite
from tolltrack.reconcile import series
from tolltrack.store import ClaimFilter, find_points, open_ledger


@pytest.fixture
def found(tmp_path: Path) -> list:
    ledger = open_ledger(str(tmp_path / "ledger.db"), create=True)
    fill(ledger)
    result = series(find_points(ledger, ClaimFilter()))
    ledger.close()
    return result


def test_the_vega_lite_spec_holds_each_point_with_its_qualifier(found: list) -> None:
    spec = vega_lite(found)
    values = spec["data"]["values"]
    assert sorted((v["claimant"], v["low"], v["high"], v["qualifier"]) for v in values) == [
        ("Ukraine's defence ministry (UKR, military)", 1200, 1200, "at_least"),
        ("Ukraine's defence ministry (UKR, military)", 1350, 1350, "at_least"),
        ("a Nato source (NATO, international)", 600, 800, "range"),
    ]
    assert all(v["open_above"] == (v["qualifier"] == "at_least") for v in values)
    layers = spec["spec"]["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rule", "line", "point", "point"]
    # "about" figures are hollow marks; unverified ones faint.
    assert [layer["mark"]["filled"] for layer in layers[2:]] == [True, False]
    assert layers[3]["transform"] == [{"filter": "datum.qualifier == 'approx'"}]
    assert all(v["unverified"] and v["standing"].endswith("unverified") for v in values)
    assert spec["facet"]["row"]["field"] == "group"


def test_figures_read_as_claimed(found: list) -> None:
    words = sorted(figure_words(p) for s in found for p in s.points)
    assert words == ["600–800", "≥ 1,200", "≥ 1,350"]


def test_the_png_is_drawn(found: list, tmp_path: Path) -> None:
    path = tmp_path / "timeline.png"
    plot_png(found, path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1100, 352)  # one panel: killed, RUS military


def test_an_empty_timeline_still_draws(tmp_path: Path) -> None:
    plot_png([], tmp_path / "empty.png")
    assert (tmp_path / "empty.png").stat().st_size > 1000


def test_an_unwritable_png_is_a_chart_error(found: list, tmp_path: Path) -> None:
    with pytest.raises(ChartError, match="No such file or directory"):
        plot_png(found, tmp_path / "missing" / "t.png")


@pytest.mark.parametrize("name", ["timeline.svg", "timeline.xyz", "timeline"])
def test_only_png_names_are_drawn(found: list, tmp_path: Path, name: str) -> None:
    with pytest.raises(ChartError, match=r"must end in \.png"):
        plot_png(found, tmp_path / name)
    assert not (tmp_path / name).exists()


