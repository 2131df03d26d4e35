"""Draw docs/benchmarks.svg from the JSON that scripts/benchmark.sh writes: time per
stage against catalog size (log-log), and ALS milliseconds per iteration against
implicit. Plain SVG, no plotting library.

    python3 scripts/plot_benchmarks.py target/bench docs/benchmarks.svg
"""

import json
import math
import sys
from pathlib import Path

WIDTH, HEIGHT = 860, 360
SERIES = [
    ("als_ms_per_iteration", "ALS, one iteration", "#4f46e5"),
    ("content_ms", "TF-IDF + neighbours", "#0d9488"),
    ("generate_ms", "synthetic shop", "#9ca3af"),
    ("recommend_p99_ms", "recommend p99", "#dc2626"),
]


def scale_chart(stages, left, top, width, height):
    """Return SVG elements of a log-log chart of milliseconds against interactions."""
    xs = [s["interactions"] for s in stages]
    values = [s[key] for s in stages for key, _, _ in SERIES if s[key] > 0]
    x_lo, x_hi = math.log10(min(xs)) - 0.1, math.log10(max(xs)) + 0.1
    y_lo, y_hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    px = lambda x: left + (math.log10(x) - x_lo) / (x_hi - x_lo) * width
    py = lambda y: top + height - (math.log10(y) - y_lo) / (y_hi - y_lo) * height
    parts = [f'<text x="{left}" y="{top - 12}" font-weight="600">Milliseconds against catalog size (log-log)</text>']
    for exponent in range(y_lo, y_hi + 1):
        y = py(10 ** exponent)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** exponent:g}</text>')
    for s in stages:
        x = px(s["interactions"])
        parts.append(f'<text x="{x:.1f}" y="{top + height + 16}" text-anchor="middle">{s["scale"]}x ({s["interactions"] / 1e6:.2g}M events)</text>')
    for index, (key, label, colour) in enumerate(SERIES):
        points = [(px(s["interactions"]), py(s[key])) for s in stages if s[key] > 0]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points)
        parts.append(f'<rect x="{left + 8}" y="{top + 6 + index * 16}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{left + 24}" y="{top + 15 + index * 16}">{label}</text>')
    return parts


def implicit_chart(runs, left, top, width, height):
    """Return SVG elements of paired bars: our ALS and implicit's, ms per iteration."""
    top_value = max(max(r["ours_ms_per_iteration"], r["implicit_ms_per_iteration"]) for _, r in runs) * 1.15
    parts = [f'<text x="{left}" y="{top - 12}" font-weight="600">ALS ms per iteration, one thread</text>']
    group = width / len(runs)
    for index, (name, r) in enumerate(runs):
        for offset, (key, colour, label) in enumerate([("ours_ms_per_iteration", "#4f46e5", "ours"), ("implicit_ms_per_iteration", "#f59e0b", "implicit")]):
            value = r[key]
            bar = value / top_value * height
            x = left + index * group + 12 + offset * (group / 2 - 10)
            parts.append(f'<rect x="{x:.1f}" y="{top + height - bar:.1f}" width="{group / 2 - 16:.1f}" height="{bar:.1f}" fill="{colour}"/>')
            parts.append(f'<text x="{x + (group / 2 - 16) / 2:.1f}" y="{top + height - bar - 4:.1f}" text-anchor="middle">{value:.1f}</text>')
            if index == 0:
                parts.append(f'<rect x="{left + width - 80}" y="{top + offset * 16}" width="10" height="10" fill="{colour}"/>')
                parts.append(f'<text x="{left + width - 64}" y="{top + 9 + offset * 16}">{label}</text>')
        parts.append(f'<text x="{left + index * group + group / 2:.1f}" y="{top + height + 16}" text-anchor="middle">{name}</text>')
    parts.append(f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" stroke="#9ca3af"/>')
    return parts


def main():
    folder, output = Path(sys.argv[1]), Path(sys.argv[2])
    stages = json.loads((folder / "stages.json").read_text())
    runs = []
    for name in ("synthetic", "uci", "movielens"):
        path = folder / f"implicit-{name}.json"
        if path.exists():
            runs.append((name, json.loads(path.read_text())))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="11">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>']
    parts += scale_chart(stages, 60, 40, 420, 270)
    if runs:
        parts += implicit_chart(runs, 540, 40, 290, 270)
    parts.append("</svg>")
    output.write_text("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
