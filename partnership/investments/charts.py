"""Geometry for server-rendered SVG bar charts; no chart library, no JavaScript.

`bar_chart()` turns categories and series of amounts into a plain dict of shapes (bars, grid
lines, text) that `templates/investments/_bar_chart.svg.html` draws as they are, and a table of
the same numbers for `templates/investments/_chart.html` to show beside the picture.
"""

import hashlib
import json
import math
from decimal import Decimal

from partnership.core.currencies import AmountUnit, scale_words

# Fills that stay distinct in greyscale print; the legend names each one.
FILLS = ["#1f4e79", "#7fa7cf", "#c55a11", "#bfbfbf", "#548235", "#7030a0"]

WIDTH = 720  # vertical charts (time series)
NARROW = 560  # horizontal charts (totals), two side by side on a wide screen
FONT = 13


def format_number(value):
    """12345.5 → "12,345.5"; 22600 → "22,600" (at most two decimals, as the sources write)."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def unit_for(values, preferred=None):
    """The scale to write a chart's amounts in: the source's own if given, else millions for
    large amounts."""
    if preferred:
        return AmountUnit(preferred)
    largest = max((v for v in values if v is not None), default=0)
    return AmountUnit.MILLION if largest >= 1_000_000 else AmountUnit.ONE


def unit_label(unit, currency):
    return scale_words(unit, currency)


def nice_ticks(largest, count=5):
    """Round tick values from 0 to at least `largest`: 0, 20,000, 40,000 … for 80,700."""
    if largest <= 0:
        return [0, 1]
    raw = largest / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    top = math.ceil(largest / step) * step
    ticks = []
    value = 0
    while value <= top + step / 1000:
        ticks.append(value)
        value += step
    return ticks


def chart_key(*content):
    """The chart's element id, from what it shows: the same chart has the same id in every
    request and every process (so pages and cached charts do not change between renders), and
    two charts that differ in title or data have different ids on a page."""
    text = json.dumps(content, default=str, ensure_ascii=False, sort_keys=True)
    return "chart-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def _text(x, y, anchor, text, cls, **attributes):
    """A text element: where it stands, which end it is anchored at, its words, its class."""
    return {"x": x, "y": y, "anchor": anchor, "text": text, "cls": cls, **attributes}


def _truncate(text, length):
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_chart(
    *,
    title,
    categories,
    series,
    currency,
    unit=None,
    category_label="",
    orientation="vertical",
    summary="",
):
    """Shapes for a bar chart.

    categories: labels along the category axis (years, sector names …).
    series: [{"label": "Full year", "values": [amount or None per category], "notes": [...]}]
        with amounts in full currency units; None leaves a gap (nothing reported).
    currency: the one currency every value is in (charts never mix currencies).
    unit: the scale to write values in (AmountUnit); chosen from the values when None.
    orientation: "vertical" (columns, for time) or "horizontal" (bars, for long labels).
    """
    all_values = [v for s in series for v in s["values"] if v is not None]
    unit = unit_for(all_values, unit)
    units = unit_label(unit, currency)
    scaled = [[None if v is None else Decimal(v) / unit.value for v in s["values"]] for s in series]
    largest = max((float(v) for row in scaled for v in row if v is not None), default=0)
    ticks = nice_ticks(largest)
    top = ticks[-1] or 1
    chart_id = chart_key(title, categories, series, currency, unit, orientation)
    bars, texts, gridlines = [], [], []
    legend = [{"label": s["label"], "fill": FILLS[i % len(FILLS)]} for i, s in enumerate(series)]
    multi = len(series) > 1

    width = WIDTH if orientation == "vertical" else NARROW
    if orientation == "horizontal":
        label_width, right, top_margin = 170, 70, 16
        bar_band = 30 if not multi else 16 * len(series) + 12
        plot_h = bar_band * max(len(categories), 1)
        axis_y = top_margin + plot_h
        height = axis_y + 56 + (24 if multi else 0)
        plot_x, plot_w = label_width, width - label_width - right
        for tick in ticks:
            x = plot_x + plot_w * tick / top
            gridlines.append({"x1": x, "y1": top_margin, "x2": x, "y2": axis_y})
            texts.append(_text(x, axis_y + 18, "middle", format_number(tick), "tick"))
        texts.append(
            _text(plot_x + plot_w / 2, axis_y + 42, "middle", units.capitalize(), "axis-label")
        )
        inner = (bar_band - 10) / max(len(series), 1)
        for ci, category in enumerate(categories):
            band_y = top_margin + ci * bar_band
            texts.append(
                _text(
                    plot_x - 8,
                    band_y + bar_band / 2 + FONT / 3,
                    "end",
                    _truncate(category, 24),
                    "category",
                )
            )
            for si, s in enumerate(series):
                value = scaled[si][ci]
                if value is None:
                    continue
                w = plot_w * float(value) / top
                y = band_y + 5 + si * inner
                bars.append(
                    {
                        "x": plot_x,
                        "y": y,
                        "width": max(w, 1),
                        "height": inner - 2,
                        "fill": FILLS[si % len(FILLS)],
                        "tooltip": f"{category}{' – ' + s['label'] if multi else ''}: "
                        f"{format_number(value)} {units}",
                    }
                )
                texts.append(
                    _text(
                        plot_x + w + 4,
                        y + (inner - 2) / 2 + FONT / 3,
                        "start",
                        format_number(value),
                        "value",
                    )
                )
        legend_y = height - 14
    else:
        left, right, top_margin, bottom = 78, 16, 20, 64 + (24 if multi else 0)
        height = 380 + (24 if multi else 0)
        plot_x, plot_w = left, width - left - right
        axis_y = height - bottom
        plot_h = axis_y - top_margin
        for tick in ticks:
            y = axis_y - plot_h * tick / top
            gridlines.append({"x1": plot_x, "y1": y, "x2": plot_x + plot_w, "y2": y})
            texts.append(_text(plot_x - 6, y + FONT / 3, "end", format_number(tick), "tick"))
        texts.append(
            _text(
                16,
                top_margin + plot_h / 2,
                "middle",
                units.capitalize(),
                "axis-label",
                transform=f"rotate(-90 16 {top_margin + plot_h / 2:.1f})",
            )
        )
        band = plot_w / max(len(categories), 1)
        group_w = min(band * 0.8, 56 * max(len(series), 1))
        bar_w = group_w / max(len(series), 1)
        for ci, category in enumerate(categories):
            center = plot_x + band * ci + band / 2
            texts.append(_text(center, axis_y + 18, "middle", _truncate(category, 14), "category"))
            for si, s in enumerate(series):
                value = scaled[si][ci]
                if value is None:
                    continue
                h = plot_h * float(value) / top
                x = center - group_w / 2 + si * bar_w
                bars.append(
                    {
                        "x": x + 1,
                        "y": axis_y - h,
                        "width": bar_w - 2,
                        "height": max(h, 1),
                        "fill": FILLS[si % len(FILLS)],
                        "tooltip": f"{category}{' – ' + s['label'] if multi else ''}: "
                        f"{format_number(value)} {units}",
                    }
                )
                texts.append(
                    _text(
                        x + bar_w / 2,
                        axis_y - h - 4,
                        "middle",
                        format_number(value),
                        "value value-small" if len(series) > 1 else "value",
                    )
                )
        if category_label:
            texts.append(
                _text(plot_x + plot_w / 2, axis_y + 42, "middle", category_label, "axis-label")
            )
        legend_y = height - 12

    legend_items = []
    if multi:
        x = plot_x
        for item in legend:
            legend_items.append(
                {**item, "x": x, "y": legend_y - 10, "text_x": x + 16, "text_y": legend_y}
            )
            x += 24 + 7.2 * len(item["label"])

    described = summary or _describe(categories, series, scaled, units, multi)
    headers = [category_label or "Category"] + [
        s["label"] if multi else f"Amount ({units})" for s in series
    ]
    rows = []
    for ci, category in enumerate(categories):
        cells = []
        for si, s in enumerate(series):
            notes = s.get("notes") or []
            cells.append(
                {
                    "value": format_number(scaled[si][ci]) if scaled[si][ci] is not None else "",
                    "note": notes[ci] if ci < len(notes) else "",
                }
            )
        rows.append({"label": category, "cells": cells})

    axis = (
        {"x1": plot_x, "y1": axis_y, "x2": plot_x + plot_w, "y2": axis_y}
        if orientation == "vertical"
        else {"x1": plot_x, "y1": top_margin, "x2": plot_x, "y2": axis_y}
    )
    return {
        "id": chart_id,
        "title": title,
        "desc": described,
        "width": width,
        "height": round(height),
        "orientation": orientation,
        "units": units,
        "bars": _svg_numbers(bars),
        "texts": _svg_numbers(texts),
        "gridlines": _svg_numbers(gridlines),
        "axis": _svg_numbers([axis])[0],
        "legend": _svg_numbers(legend_items),
        "table": {"headers": headers, "rows": rows},
        "empty": not bars,
    }


GEOMETRY = frozenset({"x", "y", "x1", "y1", "x2", "y2", "width", "height", "text_x", "text_y"})


def _svg_numbers(items):
    """Coordinates written once here with one decimal, so the template only prints them."""
    return [
        {key: f"{value:.1f}" if key in GEOMETRY else value for key, value in item.items()}
        for item in items
    ]


def _describe(categories, series, scaled, units, multi):
    parts = []
    for si, s in enumerate(series):
        values = [
            f"{category} {format_number(scaled[si][ci])}"
            for ci, category in enumerate(categories)
            if scaled[si][ci] is not None
        ]
        if values:
            prefix = f"{s['label']}: " if multi else ""
            parts.append(prefix + "; ".join(values))
    return f"Amounts in {units}. " + ". ".join(parts) + "." if parts else "No amounts to show."
