"""What every analyst notebook here shares: the connection, queries that survive schema changes,
the as-of day, "no data" notes, and figures that say how much data they drew.

A figure is shown with ``show(fig, name)``: its PNG goes into the cell's output with a small marker
in the output's metadata (``seedtest_figure``: the figure's name and the data points each axes
drew). ``check_outputs.py`` reads those markers, so an executed notebook fails the build when a
figure cell drew nothing. Reference lines (a goal, a diagonal) are drawn with ``reference(...)`` and
do not count as data.
"""
import base64
import datetime as dt
import io
import os
import pathlib
import subprocess
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import psycopg2
from IPython.display import Markdown, display
from matplotlib.collections import PathCollection

HERE = pathlib.Path(__file__).resolve().parent
FIGURE_MARKER = "seedtest_figure"
REFERENCE = "reference"  # gid of artists that are not data

_conn = None


def connect(database_url, schema=None):
    """Opens the one connection the notebook uses (read-only: a notebook never writes).

    ``database_url`` is the platform form ``postgresql://user:pass@host:5432/db`` (libpq also reads
    ``?options=-csearch_path%3Dschema``); ``schema``, when given, is put first on the search path.
    """
    global _conn
    _conn = psycopg2.connect(database_url)
    _conn.set_session(readonly=True, autocommit=True)
    with _conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")  # days are UTC days, as in the jobs
        if schema:
            cur.execute("SELECT set_config('search_path', %s, false)", (schema + ", public",))
    return _conn


def query(sql, **params):
    """Runs one SELECT and returns its rows as a DataFrame (columns named as in the SELECT)."""
    with _conn.cursor() as cur:
        cur.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return pd.DataFrame(cur.fetchall(), columns=cols)


def columns(table):
    """The columns a table has on the search path (empty when the table does not exist), so a query
    can use a column that a newer migration added and still run against an older database."""
    rows = query("""SELECT a.attname FROM pg_attribute a
                    WHERE a.attrelid = to_regclass(%(t)s) AND a.attnum > 0 AND NOT a.attisdropped""", t=table)
    return set(rows.attname)


def has_table(table):
    return bool(columns(table))


def as_of_day(as_of, latest_sql):
    """The day the notebook reports on: the AS_OF parameter (YYYY-MM-DD) when set, else the latest
    day ``latest_sql`` (one row, one column) finds, else today (UTC)."""
    if as_of:
        return dt.date.fromisoformat(str(as_of))
    latest = query(latest_sql).iloc[0, 0]
    return pd.Timestamp(latest).date() if latest is not None and not pd.isna(latest) else dt.datetime.utcnow().date()


def naive_utc(values):
    """Timestamps (a value or a Series, with or without a zone) as naive UTC, so that they plot on one
    axis with plain dates such as a goal date."""
    if isinstance(values, pd.Series):
        return pd.to_datetime(values, utc=True).dt.tz_convert(None)
    return pd.Timestamp(values).tz_convert(None) if pd.Timestamp(values).tzinfo else pd.Timestamp(values)


def no_data(what, why):
    """Says plainly that a section has nothing to show (instead of an empty chart or an exception)."""
    display(Markdown(f"**No data for {what}:** {why}"))


def reference(artist_or_list):
    """Marks artists (reference lines, diagonals) as not being data."""
    artists = artist_or_list if isinstance(artist_or_list, (list, tuple)) else [artist_or_list]
    for a in artists:
        a.set_gid(REFERENCE)
    return artist_or_list


def _finite_points(xy):
    xy = np.asarray(xy, dtype=float)
    if xy.size == 0:
        return 0
    xy = xy.reshape(len(xy), -1)
    return int(np.isfinite(xy).all(axis=1).sum())


def points_drawn(ax):
    """Data points an axes shows: finite line vertices, scatter offsets, filled areas' vertices,
    bars of non-zero size, image cells. Reference artists are left out."""
    n = 0
    for line in ax.lines:
        if line.get_gid() != REFERENCE:
            n += _finite_points(line.get_xydata())
    for coll in ax.collections:
        if coll.get_gid() == REFERENCE:
            continue
        if isinstance(coll, PathCollection):  # scatter: one marker path, a point per offset
            n += _finite_points(coll.get_offsets())
        else:  # filled areas, error bars: the vertices of their paths
            n += sum(_finite_points(p.vertices) for p in coll.get_paths())
    for patch in ax.patches:
        if patch.get_gid() != REFERENCE and hasattr(patch, "get_height"):
            if np.isfinite(patch.get_height()) and patch.get_height() != 0 and patch.get_width() != 0:
                n += 1
    for image in ax.images:
        n += int(np.isfinite(np.asarray(image.get_array(), dtype=float)).sum())
    return n


def show(fig, name):
    """Shows a figure as a PNG output carrying the marker check_outputs.py reads, then closes it
    (so the inline backend does not show it a second time)."""
    # A colour bar is a guide, not data.
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.axison and not hasattr(ax, "_colorbar")]
    marker = {"name": name, "axes": [{"title": ax.get_title(), "points": points_drawn(ax)} for ax in axes]}
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    png = base64.b64encode(buf.getvalue()).decode("ascii")
    display({"image/png": png}, raw=True, metadata={FIGURE_MARKER: marker})


def lake_tables(lake):
    """The Delta tables directly under a local lake root (folders with a _delta_log); None for a
    remote lake (s3a://...), which only Spark can list."""
    root = pathlib.Path(lake[len("file:"):] if lake.startswith("file:") else lake)
    if "://" in lake:
        return None
    return sorted(p.parent.name for p in root.glob("*/_delta_log"))


def lake_sql(lake, **queries):
    """Runs Spark SQL over the Delta lake through notebooks/lake-sql (one JVM for all the queries:
    starting Spark costs seconds) and returns {name: DataFrame}. Tables are the folders under the
    lake root; time travel with VERSION AS OF n / TIMESTAMP AS OF '...'."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [str(HERE / "lake-sql"), "--lake", str(lake), "--out", out] + [f"{n}={q}" for n, q in queries.items()]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            said = [line for line in done.stderr.splitlines() if line.startswith("lake-sql:") or "ERROR" in line]
            raise RuntimeError(f"lake-sql exited {done.returncode}: " + " | ".join(said[-3:] or done.stderr.splitlines()[-3:]))
        results = {}
        for name in queries:
            path = pathlib.Path(out) / f"{name}.jsonl"
            results[name] = pd.read_json(path, lines=True) if path.stat().st_size else pd.DataFrame()
        return results
