package io.seedtest.analytics.cluster;

import io.seedtest.analytics.config.DatabaseUrl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster stage's verdict (bin/cluster-stage): every table the pipeline left in two
 * databases, one run on the standalone cluster and one on local[2], compared row by row. Columns
 * that record when, how fast or by which run a row was written (run ids, *_at stamps, seconds_*) are left
 * out; every other value must be identical, floating-point ones within {@link #TOLERANCE}.
 * Prints the equality table and exits 1 when any table differs.
 *
 * <p>usage: PipelineEquality CLUSTER_DATABASE_URL LOCAL_DATABASE_URL
 */
public final class PipelineEquality {
  static final double TOLERANCE = 1e-9;
  /** Bookkeeping of a run, not its result. */
  private static final Set<String> RUN_TABLES = Set.of("job_runs", "seedtest_schema_history");
  private static final Set<String> RUN_COLUMNS = Set.of("run_id", "updated_at", "applied_at", "detected_at",
      "trained_at", "quarantined_at", "created_at", "seen_at");
  /** Timings of a run (calibrations.seconds_estep, seconds_total ...). */
  private static final String TIMING_PREFIX = "seconds_";

  private PipelineEquality() {}

  /** One table's comparison. */
  record TableDiff(String table, int rowsCluster, int rowsLocal, String checksumCluster, String checksumLocal,
      double maxAbsDiff, int differingRows) {
    boolean equal() {
      return rowsCluster == rowsLocal && checksumCluster.equals(checksumLocal) && differingRows == 0
          && maxAbsDiff <= TOLERANCE;
    }
  }

  public static void main(String[] args) throws SQLException {
    if (args.length != 2) {
      System.err.println("usage: PipelineEquality CLUSTER_DATABASE_URL LOCAL_DATABASE_URL");
      System.exit(2);
    }
    List<TableDiff> diffs;
    try (Connection cluster = DatabaseUrl.parse(args[0]).connect();
        Connection local = DatabaseUrl.parse(args[1]).connect()) {
      diffs = compare(cluster, local);
    }
    System.out.printf("%-26s %12s %12s %14s %8s%n", "table", "rows cluster", "rows local", "max abs diff", "equal?");
    for (TableDiff d : diffs) {
      System.out.printf(Locale.ROOT, "%-26s %12d %12d %14.3g %8s%n", d.table(), d.rowsCluster(), d.rowsLocal(),
          d.maxAbsDiff(), d.equal() ? "yes" : "NO");
    }
    long bad = diffs.stream().filter(d -> !d.equal()).count();
    long empty = diffs.stream().filter(d -> d.rowsCluster() == 0).count();
    System.out.printf("%d tables compared (%d empty), %d differ; floating columns within %.0e, checksums of the"
        + " other columns (SHA-256)%n", diffs.size(), empty, bad, TOLERANCE);
    for (TableDiff d : diffs) {
      if (!d.equal()) {
        System.out.printf("  %s: %d rows differ, checksums %s vs %s%n", d.table(), d.differingRows(),
            d.checksumCluster(), d.checksumLocal());
      }
    }
    System.exit(bad == 0 && diffs.size() > empty ? 0 : 1);
  }

  static List<TableDiff> compare(Connection cluster, Connection local) throws SQLException {
    Set<String> tables = tables(cluster);
    tables.addAll(tables(local));
    List<TableDiff> out = new ArrayList<>();
    for (String t : tables) {
      out.add(compare(cluster, local, t));
    }
    return out;
  }

  private static TableDiff compare(Connection cluster, Connection local, String table) throws SQLException {
    List<String> exact = new ArrayList<>();
    List<String> floating = new ArrayList<>();
    try (Statement s = cluster.createStatement();
        ResultSet r = s.executeQuery("SELECT column_name, data_type FROM information_schema.columns"
            + " WHERE table_schema = current_schema() AND table_name = '" + table + "' ORDER BY ordinal_position")) {
      while (r.next()) {
        String c = r.getString(1);
        if (!RUN_COLUMNS.contains(c) && !c.startsWith(TIMING_PREFIX)) {
          (Set.of("double precision", "real", "numeric").contains(r.getString(2)) ? floating : exact).add(c);
        }
      }
    }
    List<Object[]> a = rows(cluster, table, exact, floating);
    List<Object[]> b = rows(local, table, exact, floating);
    double maxDiff = 0;
    int differing = Math.abs(a.size() - b.size());
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      boolean same = a.get(i)[0].equals(b.get(i)[0]);
      for (int j = 1; j < a.get(i).length; j++) {
        Double x = (Double) a.get(i)[j];
        Double y = (Double) b.get(i)[j];
        if (x == null || y == null || x.isNaN() || y.isNaN() || x.isInfinite() || y.isInfinite()) {
          same &= java.util.Objects.equals(x, y);
        } else {
          maxDiff = Math.max(maxDiff, Math.abs(x - y));
          same &= Math.abs(x - y) <= TOLERANCE;
        }
      }
      differing += same ? 0 : 1;
    }
    return new TableDiff(table, a.size(), b.size(), checksum(a), checksum(b), maxDiff, differing);
  }

  /** Rows ordered by every column: [exact columns as one text, then each floating column]. */
  private static List<Object[]> rows(Connection c, String table, List<String> exact, List<String> floating)
      throws SQLException {
    List<String> text = exact.stream().map(x -> "coalesce(" + quote(x) + "::text, '<null>')").toList();
    String key = text.isEmpty() ? "''" : "concat_ws('|', " + String.join(", ", text) + ")";
    List<String> select = new ArrayList<>(List.of(key));
    floating.forEach(f -> select.add(quote(f) + "::float8"));
    List<String> order = new ArrayList<>(List.of("1"));
    for (int i = 0; i < floating.size(); i++) {
      order.add(String.valueOf(i + 2));
    }
    List<Object[]> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT " + String.join(", ", select) + " FROM " + quote(table)
            + " ORDER BY " + String.join(", ", order))) {
      while (r.next()) {
        Object[] row = new Object[select.size()];
        row[0] = r.getString(1);
        for (int j = 1; j < row.length; j++) {
          double v = r.getDouble(j + 1);
          row[j] = r.wasNull() ? null : v;
        }
        out.add(row);
      }
    }
    return out;
  }

  private static String checksum(List<Object[]> rows) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Object[] r : rows) {
        md.update(((String) r[0]).getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> tables(Connection c) throws SQLException {
    Set<String> out = new TreeSet<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables"
            + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
      while (r.next()) {
        if (!RUN_TABLES.contains(r.getString(1))) {
          out.add(r.getString(1));
        }
      }
    }
    return out;
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
