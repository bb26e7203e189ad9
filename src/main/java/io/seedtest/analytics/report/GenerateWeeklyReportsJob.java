package io.seedtest.analytics.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.io.Quarantine;
import io.seedtest.analytics.io.UpsertSpec;
import io.seedtest.analytics.job.DateWindow;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.kpi.StageTimes;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workstream E: one self-contained HTML report per student with a weekly_kpi row on the week's
 * last day D (docs/reports.md), stored as {@code …/week_ending=D/user_id=U/<locale>.html} in S3
 * or under the lake, listed in report_artifact, its recommendations in report_recommendations.
 *
 * <p>The recipe: check the store (credentials, bucket) before any work; gather each student's
 * inputs into one row ({@link ReportInputs}); on the executors, choose her recommendations,
 * render and store the page ({@link RenderReports}), one row per report saying what happened;
 * publish the artifact rows of the reports that are stored (written now, or already there with
 * the same checksum) and every student's recommendations. Reports that could not be stored get
 * no row and are counted in {@link #failed()}: the command then exits non-zero, and a rerun of
 * the week stores only what is missing or changed.
 */
public final class GenerateWeeklyReportsJob implements Job {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateWeeklyReportsJob.class);
  public static final String NAME = "generate-weekly-reports";

  private final AttemptSource source;
  private final ReportStorage storage;
  private final ReportOptions options;
  private final StageTimes times = new StageTimes();
  private final Map<String, Long> byStatus = new HashMap<>();
  private String firstError;
  private long renderNanos;
  private long storeNanos;
  private long totalBytes;
  private String sample;
  private String report = "";

  public GenerateWeeklyReportsJob(AttemptSource source, ReportStorage storage, ReportOptions options) {
    this.source = source;
    this.storage = storage;
    this.options = options;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String report() {
    return report;
  }

  @Override
  public JobResult run(RunContext ctx) {
    times.restart();
    byStatus.clear();
    firstError = null;
    sample = null;
    renderNanos = 0;
    storeNanos = 0;
    totalBytes = 0;
    DateWindow w = ctx.window();
    if (!w.from().equals(w.to())) {
      throw Errors.badWindow(NAME + " renders one week per run: give --date (the week's last day); "
          + "jobs/generate-weekly-reports.sh --from/--to runs one week after another");
    }
    LocalDate day = w.to();
    SparkSession spark = ctx.spark();
    ReportStore store = ReportStore.of(storage);
    if (!ctx.dryRun()) {
      store.check();
    }
    Dataset<Row> students = ReportInputs.students(spark, ctx.settings(), source, day, options.users())
        .persist(StorageLevel.MEMORY_AND_DISK());
    long n = students.count();
    ItemPool pool = ReportInputs.itemPool(spark, ctx.settings(), source);
    times.mark("read and join (" + n + " students, " + pool.size() + " calibrated items)");

    Timestamp renderedAt = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    RenderReports render = new RenderReports(new Recommender(pool, options.topN()), store, options.locale(),
        renderedAt, ctx.runId().toString(), ctx.dryRun());
    Dataset<Row> rendered = students.mapPartitions(render, Encoders.row(RenderReports.SCHEMA))
        .persist(StorageLevel.MEMORY_AND_DISK());
    for (Row r : rendered.groupBy("status").agg(org.apache.spark.sql.functions.count("*"),
        org.apache.spark.sql.functions.sum("render_ns"), org.apache.spark.sql.functions.sum("store_ns"),
        org.apache.spark.sql.functions.sum("bytes"), org.apache.spark.sql.functions.min("error"),
        org.apache.spark.sql.functions.min("url")).collectAsList()) {
      byStatus.put(r.getString(0), r.getLong(1));
      renderNanos += r.getLong(2);
      storeNanos += r.getLong(3);
      totalBytes += r.getLong(4);
      firstError = r.isNullAt(5) ? firstError : r.getString(5);
      sample = r.isNullAt(6) ? sample : r.getString(6);
    }
    times.mark("render and store");

    Dataset<Row> artifacts = rendered
        .where(col("status").isin(RenderReports.WRITTEN, RenderReports.UNCHANGED))
        .select(columns(ReportTables.ARTIFACT_SCHEMA.fieldNames()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> recommendations = rendered
        .select(col("user_id"), col("week_ending"), explode(col("recommendations")).as("r"), col("run_id"))
        .select(java.util.Arrays.stream(ReportTables.RECOMMENDATIONS_SCHEMA.fieldNames())
            .map(c -> RenderReports.REPORT_COLUMNS.contains(c) ? col(c) : col("r." + c).as(c))
            .toArray(org.apache.spark.sql.Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    UpsertSpec recSpec = options.users().isEmpty() ? ReportTables.RECOMMENDATIONS_SPEC
        : ReportTables.RECOMMENDATIONS_SUBSET_SPEC;
    Dataset<Row> noQuarantine = spark.createDataFrame(List.of(), Quarantine.SCHEMA);

    String summary = String.format(Locale.ROOT,
        "%d %s reports for the week ending %s: %d written, %d unchanged, %d failed%s (%.1f kB each; store %s)",
        n, options.locale().tag(), day, count(RenderReports.WRITTEN), count(RenderReports.UNCHANGED), failed(),
        ctx.dryRun() ? ", dry run: none stored" : "", n == 0 ? 0.0 : totalBytes / 1024.0 / n, store.describe());
    report = summary + "\nstages: " + times + String.format(Locale.ROOT, "; executor time: render %.1f s, store %.1f s",
        renderNanos / 1e9, storeNanos / 1e9) + "\n";
    LOG.info("{} {}: stages: {}", NAME, day, times);
    if (failed() > 0) {
      LOG.warn("{} {}: {} reports could not be stored, first error: {}", NAME, day, failed(), firstError);
    }
    return new JobResult(List.of(new Output(ReportTables.ARTIFACT_SPEC, artifacts, w),
        new Output(recSpec, recommendations, w)), noQuarantine, n, summary,
        List.of(students, rendered, artifacts, recommendations));
  }

  /** Reports of the last run that could not be stored (they have no report_artifact row). */
  public long failed() {
    return count(RenderReports.FAILED);
  }

  /** Reports of the last run, stored or not. */
  public long total() {
    return byStatus.values().stream().mapToLong(Long::longValue).sum();
  }

  public long count(String status) {
    return byStatus.getOrDefault(status, 0L);
  }

  public String firstError() {
    return firstError;
  }

  /** The URL of one stored report of the last run (what the demo prints), or null. */
  public String sampleUrl() {
    return sample;
  }

  public StageTimes times() {
    return times;
  }

  /** Summed executor time of rendering (recommendations, charts, template, hash) and of storing. */
  public double renderSeconds() {
    return renderNanos / 1e9;
  }

  public double storeSeconds() {
    return storeNanos / 1e9;
  }

  public long totalBytes() {
    return totalBytes;
  }

  private static org.apache.spark.sql.Column[] columns(String[] names) {
    org.apache.spark.sql.Column[] c = new org.apache.spark.sql.Column[names.length];
    for (int i = 0; i < names.length; i++) {
      c[i] = col(names[i]);
    }
    return c;
  }
}
