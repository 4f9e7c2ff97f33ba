"""Timeline charts of series: a PNG drawn with matplotlib and a Vega-Lite spec.

Both show the claim as claimed: a range is a bar from its low to its high
end, "at least" points up, "up to" points down, "about" is a hollow mark, an
unverified figure is faint, and each claimant has one colour across every
panel. The PNG labels each mark with its figure and any status but "claimed". One panel per outcome
and victim group, so unlike things never share an axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tolltrack.model import Figure, Qualifier
from tolltrack.reconcile import Series, SeriesPoint

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Marks per qualifier: matplotlib marker, and Vega-Lite shape.
_MARKS = {"exact": ("o", "circle"), "approx": ("o", "circle"), "at_least": ("^", "triangle-up"),
          "at_most": ("v", "triangle-down"), "range": ("_", "stroke"), "vague": ("_", "stroke")}


class ChartError(Exception):
    """A chart cannot be drawn or written (a missing library, an unwritable file)."""


def group_label(s: Series) -> str:
    """"killed: RUS military" — the outcome and whose people."""
    who = " ".join(p for p in (s.victim_country, s.victim_type) if p)
    return f"{s.outcome}: {who}"


def figure_words(p: SeriesPoint) -> str:
    """The point's figure in short form ("≥ 20,000", "7,000–15,000")."""
    pt = p.point
    return Figure(pt.low, pt.high, Qualifier(pt.qualifier), pt.figure_text).words()


def standing(p: SeriesPoint) -> str:
    """How the claimant stands to the figure, with its hedge: "claimed",
    "estimated, unverified"."""
    return p.point.status + (", unverified" if p.point.unverified else "")


def _rows(series: Sequence[Series], details: Mapping[str, Mapping[str, Any]]
          ) -> list[dict[str, Any]]:
    rows = []
    for s in series:
        for p in s.points:
            pt = p.point
            rows.append({"group": group_label(s), "claimant": s.claimant,
                         "date": pt.date.isoformat(), "low": pt.low,
                         "high": pt.high if pt.high is not None else pt.low,
                         "open_above": pt.qualifier == "at_least" or (
                             pt.qualifier == "vague" and pt.high is None),
                         "qualifier": pt.qualifier, "figure": figure_words(p),
                         "status": pt.status, "unverified": pt.unverified,
                         "standing": standing(p), "reports": p.reports, "change": p.change,
                         "claim_id": pt.id, **details.get(pt.id, {})})
    return rows


def vega_lite(series: Sequence[Series],
              details: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """A Vega-Lite v5 spec with the series inline: one row per outcome and
    victim group, colour per claimant, shape per qualifier, a rule per range.
    ``details`` adds fields to each claim's tooltip, by claim id (the web
    app adds the outlet and the sentence)."""
    details = details or {}
    enc_x = {"field": "date", "type": "temporal", "title": "date stated"}
    color = {"field": "claimant", "type": "nominal"}
    extra = sorted({name for fields in details.values() for name in fields})
    tooltip = [{"field": f} for f in ("claimant", "date", "figure", "standing", "reports",
                                       "change", *extra, "claim_id")]

    def points(filled: bool) -> dict[str, Any]:
        # "about N" is a hollow mark, every other figure a filled one.
        test = "datum.qualifier != 'approx'" if filled else "datum.qualifier == 'approx'"
        return {"mark": {"type": "point", "filled": filled, "size": 70, "strokeWidth": 2},
                "transform": [{"filter": test}],
                "encoding": {
                    "x": enc_x,
                    "y": {"field": "low", "type": "quantitative", "title": "claimed figure"},
                    "color": color,
                    "shape": {"field": "qualifier", "type": "nominal", "scale": {
                        "domain": list(_MARKS), "range": [m[1] for m in _MARKS.values()]}},
                    # Unverified claims are drawn faint.
                    "opacity": {"condition": {"test": "datum.unverified", "value": 0.45},
                                "value": 1},
                    "tooltip": tooltip}}

    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": "Claimed casualty figures over time, per claimant. Each mark is a "
                       "claim, not a fact.",
        "data": {"values": _rows(series, details)},
        "facet": {"row": {"field": "group", "type": "nominal", "title": None}},
        "resolve": {"scale": {"y": "independent"}},
        "spec": {
            "width": 640, "height": 220,
            "layer": [
                {"mark": {"type": "rule", "strokeWidth": 3, "opacity": 0.6},
                 "transform": [{"filter": "datum.high > datum.low"}],
                 "encoding": {"x": enc_x, "y": {"field": "low", "type": "quantitative"},
                              "y2": {"field": "high"}, "color": color}},
                {"mark": {"type": "line", "strokeDash": [4, 3], "opacity": 0.5},
                 "encoding": {"x": enc_x, "y": {"field": "low", "type": "quantitative"},
                              "color": color}},
                points(True),
                points(False),
            ],
        },
    }


def plot_png(series: Sequence[Series], path: Path) -> None:
    """Draw the series to a PNG at ``path``: one panel per outcome and victim
    group, a colour per claimant, the qualifier in each mark's shape. Raises
    ChartError when matplotlib is missing, the name does not end in .png, or the
    file cannot be written."""
    if path.suffix.lower() != ".png":
        raise ChartError(f"--plot {path}: the file name must end in .png")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ChartError("--plot needs matplotlib: pip install 'tolltrack[plot]'") from None
    groups: dict[str, list[Series]] = {}
    for s in series:
        groups.setdefault(group_label(s), []).append(s)
    claimants = sorted({s.claimant for s in series})
    palette = plt.get_cmap("tab10" if len(claimants) <= 10 else "tab20")
    colours = {c: palette(i % palette.N) for i, c in enumerate(claimants)}
    fig, axes = plt.subplots(max(len(groups), 1), 1, figsize=(10, 3.2 * max(len(groups), 1)),
                             squeeze=False)
    for ax, (label, members) in zip(axes[:, 0], groups.items(), strict=False):
        for s in members:
            colour = colours[s.claimant]
            dates = [p.point.date for p in s.points]
            lows = [p.point.low for p in s.points]
            ax.plot(dates, lows, linestyle="--", linewidth=0.8, color=colour, alpha=0.5)
            for p in s.points:
                _draw_point(ax, p, colour)
            ax.plot([], [], color=colour, marker="o", linestyle="", label=s.claimant)
        ax.set_title(label, loc="left", fontsize=10)
        ax.set_ylabel("claimed figure")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    if not groups:
        axes[0, 0].text(0.5, 0.5, "no cumulative figures match", ha="center", va="center")
    fig.suptitle("Claimed figures over time (▲ at least, ▼ up to, ○ about, bar = range; "
                 "faint = unverified, labels give status)", fontsize=10)
    fig.autofmt_xdate()
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=110, format="png")
    except OSError as exc:
        raise ChartError(f"--plot {path}: {exc.strerror or 'cannot be written'}") from None
    finally:
        plt.close(fig)


def _draw_point(ax: Any, p: SeriesPoint, colour: Any) -> None:
    pt = p.point
    marker = _MARKS.get(pt.qualifier, ("o", "circle"))[0]
    if pt.high is not None and pt.high != pt.low:
        ax.vlines(pt.date, pt.low, pt.high, color=colour, linewidth=4, alpha=0.6)
    hollow = pt.qualifier == "approx"
    alpha = 0.45 if pt.unverified else 1.0
    ax.plot([pt.date], [pt.low], marker=marker, markersize=8, color=colour, alpha=alpha,
            markerfacecolor="none" if hollow else colour, linestyle="")
    label = figure_words(p) + ("" if pt.status == "claimed" else f" ({pt.status})")
    ax.annotate(label + ("?" if pt.unverified else ""), (pt.date, pt.low), fontsize=7,
                xytext=(4, 4), textcoords="offset points", color=colour)
