package io.seedtest.analytics.report;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What each executor does with its students: choose the recommendations, render the page, store
 * it (unless a dry run), and emit one row saying what happened ({@link #SCHEMA}). A report that
 * cannot be stored becomes a {@code failed} row with a one-line error, never a failed task: the
 * others in the partition are still stored, and the run reports the failures at the end.
 *
 * <p>Shipped in the task closure (Java serialization, whatever {@code spark.serializer} is), with
 * the item pool inside the recommender: one copy per stage, no broadcast of records through Kryo.
 */
final class RenderReports implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  static final String WRITTEN = "written";
  static final String UNCHANGED = "unchanged";
  static final String FAILED = "failed";
  static final String DRY_RUN = "dry_run";

  /** Per recommendation: the report_recommendations columns that are not the report's own. */
  static final java.util.Set<String> REPORT_COLUMNS = java.util.Set.of("user_id", "week_ending", "run_id");
  static final StructType RECOMMENDATION = new StructType(java.util.Arrays.stream(
      ReportTables.RECOMMENDATIONS_SCHEMA.fields()).filter(f -> !REPORT_COLUMNS.contains(f.name()))
      .toArray(org.apache.spark.sql.types.StructField[]::new));

  static final StructType SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("week_ending", DataTypes.DateType, false)
      .add("locale", DataTypes.StringType, false)
      .add("url", DataTypes.StringType, true)
      .add("sha256", DataTypes.StringType, false)
      .add("bytes", DataTypes.LongType, false)
      .add("rendered_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("error", DataTypes.StringType, true)
      .add("render_ns", DataTypes.LongType, false)
      .add("store_ns", DataTypes.LongType, false)
      .add("recommendations", DataTypes.createArrayType(RECOMMENDATION, false), false);

  private final Recommender recommender;
  private final ReportStore store;
  private final ReportLocale locale;
  private final Timestamp renderedAt;
  private final String runId;
  private final boolean dryRun;

  RenderReports(Recommender recommender, ReportStore store, ReportLocale locale, Timestamp renderedAt, String runId,
      boolean dryRun) {
    this.recommender = recommender;
    this.store = store;
    this.locale = locale;
    this.renderedAt = renderedAt;
    this.runId = runId;
    this.dryRun = dryRun;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> students) {
    ReportRenderer renderer = ReportRenderer.shared();
    List<Row> out = new ArrayList<>();
    ReportStore.Session session = null;
    try {
      while (students.hasNext()) {
        long t0 = System.nanoTime();
        StudentWeek s = StudentWeek.fromRow(students.next());
        List<Recommendation> recs = recommender.recommend(s.theta(), s.thetaSe(), s.topics(), s.recentItems());
        byte[] html = renderer.render(s, recs, locale);
        String sha = sha256(html);
        long t1 = System.nanoTime();
        String url = null;
        String status = DRY_RUN;
        String error = null;
        if (!dryRun) {
          try {
            if (session == null) {
              session = store.open();
            }
            ReportStore.Stored stored = session.put(ReportStore.relativeKey(s.weekEnding(), s.userId(), locale),
                html, sha);
            url = stored.url();
            status = stored.written() ? WRITTEN : UNCHANGED;
          } catch (RuntimeException e) {
            status = FAILED;
            error = oneLine(e);
          }
        }
        out.add(RowFactory.create(s.userId(), Date.valueOf(s.weekEnding()), locale.tag(), url, sha,
            (long) html.length, renderedAt, runId, status, error, t1 - t0, System.nanoTime() - t1, rows(recs)));
      }
    } finally {
      if (session != null) {
        session.close();
      }
    }
    return out.iterator();
  }

  /** As an array: the row encoder takes arrays (or Scala Seqs), not java.util.List. */
  private static Row[] rows(List<Recommendation> recs) {
    Row[] rows = new Row[recs.size()];
    for (int i = 0; i < rows.length; i++) {
      Recommendation r = recs.get(i);
      rows[i] = RowFactory.create(r.rank(), r.kind(), r.itemId(), r.topic(), r.pSuccess(), r.information(),
          r.topicAccuracy(), r.theta());
    }
    return rows;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The error's class and first message line (S3 and IO messages never carry credentials). */
  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return (e.getClass().getSimpleName() + ": " + m).trim();
  }
}
