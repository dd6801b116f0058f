"""The false-alert vs detection-delay trade-off of `minwon carewatch simulate --plot FILE`.

Two panels share the y axis (median delay, hours, daytime onsets): automated checks and
officer-tier false alerts per 1,000 household-days on x. Each point is one setting of a
detector's main threshold (the sweep of `cli.sweep_settings`); the target corner of
care-monitor.md §5.6 is shaded. A point whose median was not reached (more than half the
daytime incidents missed) is drawn on the top edge with an open marker. SVG is written by hand;
PNG with Pillow (already a dependency), from the same drawing list.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 960, 480
COLOURS = {"paju": "#d6451b", "personalised": "#256ef4"}
TARGET_DELAY_H = 4.0
TARGETS = {"auto_check": 20.0, "officer": 2.0}
PANELS = (
    ("auto_check", "automated checks per 1,000 household-days"),
    ("officer", "officer-tier alerts per 1,000 household-days"),
)

Shape = tuple[str, dict[str, Any]]


def _ticks(top: float) -> list[float]:
    step = 1.0
    for s in (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        step = s
        if top / s <= 6:
            break
    return [i * step for i in range(int(top / step) + 1)]


def _shapes(points: list[dict[str, Any]], title: str) -> list[Shape]:
    out: list[Shape] = [
        ("rect", {"x": 0, "y": 0, "w": WIDTH, "h": HEIGHT, "fill": "#ffffff"}),
        ("text", {"x": WIDTH / 2, "y": 24, "s": title, "size": 15, "anchor": "middle"}),
    ]
    delays = [p["score"]["delay_hours"]["median"] for p in points]
    y_top = max([d for d in delays if d is not None] + [TARGET_DELAY_H * 2]) * 1.15
    for col, (key, label) in enumerate(PANELS):
        x0, y0, w, h = 70 + col * 470, 50, 380, 350
        values = [p["score"]["false_alerts_per_1000_household_days"][key] for p in points]
        x_top = max([*values, TARGETS[key] * 2]) * 1.15

        def px(v: float, x0: int = x0, w: int = w, x_top: float = x_top) -> float:
            return float(x0 + w * v / x_top)

        def py(v: float, y0: int = y0, h: int = h) -> float:
            return float(y0 + h - h * v / y_top)

        tx, ty = px(TARGETS[key]), py(TARGET_DELAY_H)
        out.append(("rect", {"x": x0, "y": ty, "w": tx - x0, "h": y0 + h - ty, "fill": "#e6f4ea"}))
        out.append(("rect", {"x": x0, "y": y0, "w": w, "h": h, "stroke": "#555555"}))
        for v in _ticks(x_top):
            out.append(("line", {"x1": px(v), "y1": y0 + h, "x2": px(v), "y2": y0 + h + 5}))
            out.append(("text", {"x": px(v), "y": y0 + h + 18, "s": f"{v:g}", "anchor": "middle"}))
        for v in _ticks(y_top):
            out.append(("line", {"x1": x0 - 5, "y1": py(v), "x2": x0, "y2": py(v)}))
            out.append(("text", {"x": x0 - 8, "y": py(v) + 4, "s": f"{v:g}", "anchor": "end"}))
        out.append(("text", {"x": x0 + w / 2, "y": y0 + h + 38, "s": label, "anchor": "middle"}))
        out.append(
            ("text", {"x": x0 + 4, "y": y0 + h - 6, "s": "target", "size": 11, "fill": "#1e7b34"})
        )
        for family in COLOURS:
            fam = [p for p in points if p["family"] == family]
            xy = []
            for p in fam:
                d = p["score"]["delay_hours"]["median"]
                v = p["score"]["false_alerts_per_1000_household_days"][key]
                xy.append((px(v), py(d) if d is not None else y0, d is not None, p["label"]))
            xy.sort()
            for a, b in itertools.pairwise(xy):
                out.append(
                    ("line", {"x1": a[0], "y1": a[1], "x2": b[0], "y2": b[1], "c": COLOURS[family]})
                )
            for i, (x, y, reached, text) in enumerate(xy):
                out.append(("dot", {"x": x, "y": y, "c": COLOURS[family], "filled": reached}))
                dy = (
                    -6 if i % 2 == 0 else 14
                )  # alternate above and below: close points stay legible
                out.append(("text", {"x": x + 7, "y": y + dy, "s": text, "size": 10}))
    out.append(
        ("text", {"x": 18, "y": 50 + 175, "s": "median delay (h)", "anchor": "middle", "rot": -90})
    )
    for i, family in enumerate(COLOURS):
        lx = WIDTH / 2 - 150 + i * 190
        out.append(("dot", {"x": lx, "y": HEIGHT - 22, "c": COLOURS[family], "filled": True}))
        out.append(("text", {"x": lx + 10, "y": HEIGHT - 18, "s": family + " (sweep)"}))
    return out


def _svg(shapes: list[Shape]) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">'
    ]
    for kind, a in shapes:
        if kind == "rect":
            fill = a.get("fill", "none")
            stroke = f' stroke="{a["stroke"]}"' if "stroke" in a else ""
            parts.append(
                f'<rect x="{a["x"]:.1f}" y="{a["y"]:.1f}" width="{a["w"]:.1f}" '
                f'height="{a["h"]:.1f}" fill="{fill}"{stroke}/>'
            )
        elif kind == "line":
            parts.append(
                f'<line x1="{a["x1"]:.1f}" y1="{a["y1"]:.1f}" x2="{a["x2"]:.1f}" '
                f'y2="{a["y2"]:.1f}" stroke="{a.get("c", "#555555")}"/>'
            )
        elif kind == "dot":
            fill = a["c"] if a["filled"] else "#ffffff"
            parts.append(
                f'<circle cx="{a["x"]:.1f}" cy="{a["y"]:.1f}" r="4.5" fill="{fill}" '
                f'stroke="{a["c"]}" stroke-width="1.5"/>'
            )
        else:
            anchor = {"end": "end", "middle": "middle"}.get(a.get("anchor", ""), "start")
            rot = f' transform="rotate({a["rot"]} {a["x"]:.1f} {a["y"]:.1f})"' if "rot" in a else ""
            parts.append(
                f'<text x="{a["x"]:.1f}" y="{a["y"]:.1f}" font-size="{a.get("size", 12)}" '
                f'fill="{a.get("fill", "#1d1d1d")}" text-anchor="{anchor}"{rot}>'
                f"{escape(a['s'])}</text>"
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _png(shapes: list[Shape], path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(img)
    fonts: dict[int, Any] = {}
    for kind, a in shapes:
        if kind == "rect":
            box = (a["x"], a["y"], a["x"] + a["w"], a["y"] + a["h"])
            draw.rectangle(box, fill=a.get("fill"), outline=a.get("stroke"))
        elif kind == "line":
            draw.line((a["x1"], a["y1"], a["x2"], a["y2"]), fill=a.get("c", "#555555"), width=1)
        elif kind == "dot":
            box = (a["x"] - 4.5, a["y"] - 4.5, a["x"] + 4.5, a["y"] + 4.5)
            draw.ellipse(box, fill=a["c"] if a["filled"] else "#ffffff", outline=a["c"], width=2)
        else:
            size = int(a.get("size", 12))
            font = fonts.setdefault(size, ImageFont.load_default(size))
            anchor = {"end": "rs", "middle": "ms"}.get(a.get("anchor", ""), "ls")
            if "rot" in a:
                w = int(draw.textlength(a["s"], font=font)) + 4
                label = Image.new("RGBA", (w, size + 6), (255, 255, 255, 0))
                ImageDraw.Draw(label).text((2, 0), a["s"], font=font, fill="#1d1d1d")
                label = label.rotate(-a["rot"] if a["rot"] > 0 else 90, expand=True)
                img.paste(label, (int(a["x"] - size / 2), int(a["y"] - w / 2)), label)
                continue
            draw.text(
                (a["x"], a["y"]), a["s"], font=font, fill=a.get("fill", "#1d1d1d"), anchor=anchor
            )
    img.save(path, format="PNG")


def tradeoff(points: list[dict[str, Any]], path: Path, *, title: str = "") -> None:
    """Write the plot to `path` (.svg or .png, by its suffix)."""
    shapes = _shapes(points, title)
    if path.suffix.lower() == ".png":
        _png(shapes, path)
    else:
        path.write_text(_svg(shapes), encoding="utf-8")
