#!/usr/bin/env python3
"""Checks executed notebooks and saves their figures:  check_outputs.py [--figures DIR] NOTEBOOK...

Fails (exit 1, one line per problem) when
  - a cell raised (an "error" output: nbconvert was run with --allow-errors),
  - a cell tagged "figure" produced no image (e.g. it printed a "no data" note instead),
  - an image carries no figure marker (it was not shown through notebook_kit.show), or
  - a figure is empty: an axes of it drew no data points (the marker notebook_kit.show writes),
  - a notebook shows no figure at all.
With --figures, each figure is written to DIR/<notebook>/<figure name>.png.
"""
import argparse
import base64
import json
import pathlib
import re
import sys

FIGURE_MARKER = "seedtest_figure"  # notebook_kit.FIGURE_MARKER (kept import-free: no IPython needed here)


def cell_text(outputs):
    """What a cell printed, for a problem's message (e.g. the "no data" note that replaced a figure)."""
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream":
            parts.append("".join(out.get("text", "")))
        for mime in ("text/markdown", "text/plain"):
            if mime in out.get("data", {}):
                parts.append("".join(out["data"][mime]))
                break
    text = " ".join(" ".join(parts).split())
    return (text[:160] + "...") if len(text) > 160 else text


def check(path, figures_dir):
    """Returns (problems, figures saved) for one executed notebook."""
    name = pathlib.Path(path).stem
    if not pathlib.Path(path).is_file():
        return [f"{name}: {path} does not exist (did the notebook execute?)"], []
    nb = json.loads(pathlib.Path(path).read_text())
    problems, figures = [], []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        where = f"{name}: cell {index}"
        outputs = cell.get("outputs", [])
        images = 0
        for out in outputs:
            if out.get("output_type") == "error":
                problems.append(f"{where} raised {out.get('ename')}: {out.get('evalue')}")
            png = out.get("data", {}).get("image/png")
            if png is None:
                continue
            images += 1
            marker = out.get("metadata", {}).get(FIGURE_MARKER)
            if marker is None:
                problems.append(f"{where} shows an image without a figure marker (show it with notebook_kit.show)")
                continue
            empty = [ax.get("title") or f"axes {i + 1}" for i, ax in enumerate(marker["axes"]) if ax["points"] <= 0]
            if not marker["axes"]:
                problems.append(f"{where}: figure '{marker['name']}' has no axes")
            elif empty:
                problems.append(f"{where}: figure '{marker['name']}' is empty: no data drawn in {', '.join(empty)}")
            figures.append(marker["name"])
            if figures_dir:
                target = pathlib.Path(figures_dir) / name / (re.sub(r"[^A-Za-z0-9_.-]", "_", marker["name"]) + ".png")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(base64.b64decode("".join(png)))
        if "figure" in cell.get("metadata", {}).get("tags", []) and images == 0:
            said = cell_text(outputs)
            problems.append(f"{where} is a figure cell but produced no image" + (f" (it said: {said})" if said else ""))
    if not figures and not problems:
        problems.append(f"{name}: shows no figure")
    return problems, figures


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", help="folder to save every figure into, one subfolder per notebook")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args(argv)
    failed = False
    for path in args.notebooks:
        problems, figures = check(path, args.figures)
        for problem in problems:
            print(f"check_outputs: {problem}", file=sys.stderr)
        failed |= bool(problems)
        if not problems:
            print(f"check_outputs: {pathlib.Path(path).stem}: {len(figures)} figure(s), each with data", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
