package io.seedtest.analytics.report;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What each executor does with its students: choose the recommendations, render the page, store
 * it (unless a dry run), and emit one row saying what happened ({@link #SCHEMA}). A student whose
 * row the job marked {@link #SKIP} (same input hash as her stored report, object present) is not
 * rendered: only her recommendations are chosen again, for report_recommendations. A report that
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
  /** Not rendered: the stored row's input hash is this run's and its object is in the store's listing. */
  static final String SKIPPED = "skipped";

  /** Input columns the job adds to each student row (besides ReportInputs'): see GenerateWeeklyReportsJob. */
  static final String INPUT_HASH = "input_hash";
  static final String SKIP = "skip";
  static final String EXISTS = "object_exists";
  static final String STORED_URL = "stored_url";
  static final String STORED_SHA256 = "stored_sha256";
  static final String STORED_BYTES = "stored_bytes";

  /**
   * PUTs in flight per partition: the executor thread renders the next report while earlier ones
   * upload, so a partition's time is about max(render, upload / threads) instead of their sum.
   * Few, because each task slot already has its own; the bound on waiting reports keeps memory flat.
   */
  static final int UPLOAD_THREADS = 4;
  private static final int MAX_IN_FLIGHT = 2 * UPLOAD_THREADS;

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
      .add("input_hash", DataTypes.StringType, false)
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
    List<Pending> pending = new ArrayList<>();
    ReportStore.Session session = null;
    ExecutorService uploads = null;
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    try {
      while (students.hasNext()) {
        long t0 = System.nanoTime();
        Row row = students.next();
        StudentWeek s = StudentWeek.fromRow(row);
        String inputHash = row.getAs(INPUT_HASH);
        List<Recommendation> recs = recommender.recommend(s.theta(), s.thetaSe(), s.topics(), s.recentItems());
        if (Boolean.TRUE.equals(row.getAs(SKIP))) {
          // inputs as at the stored report's run and its object is there: its bytes would be the same
          pending.add(new Pending(s, recs, inputHash, row.getAs(STORED_SHA256), row.<Long>getAs(STORED_BYTES),
              System.nanoTime() - t0, CompletableFuture.completedFuture(
                  new Outcome(row.getAs(STORED_URL), SKIPPED, null, 0L))));
          continue;
        }
        byte[] html = renderer.render(s, recs, locale);
        String sha = sha256(html);
        long renderNs = System.nanoTime() - t0;
        CompletableFuture<Outcome> outcome;
        if (dryRun) {
          outcome = CompletableFuture.completedFuture(new Outcome(null, DRY_RUN, null, 0L));
        } else {
          if (session == null) {
            session = store.open();
            uploads = Executors.newFixedThreadPool(UPLOAD_THREADS, daemon());
          }
          String key = ReportStore.relativeKey(s.weekEnding(), s.userId(), locale);
          boolean mayExist = Boolean.TRUE.equals(row.getAs(EXISTS));
          inFlight.acquireUninterruptibly();
          outcome = CompletableFuture.supplyAsync(upload(session, key, html, sha, mayExist), uploads)
              .whenComplete((o, e) -> inFlight.release());
        }
        pending.add(new Pending(s, recs, inputHash, sha, (long) html.length, renderNs, outcome));
      }
      List<Row> out = new ArrayList<>(pending.size());
      for (Pending p : pending) {
        Outcome o = p.outcome.join();
        out.add(RowFactory.create(p.student.userId(), Date.valueOf(p.student.weekEnding()), locale.tag(), o.url,
            p.sha256, p.bytes, p.inputHash, renderedAt, runId, o.status, o.error, p.renderNs, o.storeNs,
            rows(p.recs)));
      }
      return out.iterator();
    } finally {
      if (uploads != null) {
        uploads.shutdownNow();
      }
      if (session != null) {
        session.close();
      }
    }
  }

  /** One PUT, on an upload thread; a failure becomes a {@code failed} outcome, never an exception. */
  private static java.util.function.Supplier<Outcome> upload(ReportStore.Session session, String key, byte[] html,
      String sha, boolean mayExist) {
    return () -> {
      long t = System.nanoTime();
      try {
        ReportStore.Stored stored = session.put(key, html, sha, mayExist);
        return new Outcome(stored.url(), stored.written() ? WRITTEN : UNCHANGED, null, System.nanoTime() - t);
      } catch (RuntimeException e) {
        return new Outcome(null, FAILED, oneLine(e), System.nanoTime() - t);
      }
    };
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "report-upload");
      t.setDaemon(true);
      return t;
    };
  }

  /** A report of the partition whose upload may still be running. */
  private record Pending(StudentWeek student, List<Recommendation> recs, String inputHash, String sha256, long bytes,
      long renderNs, CompletableFuture<Outcome> outcome) {}

  private record Outcome(String url, String status, String error, long storeNs) {}

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
