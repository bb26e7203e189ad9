package io.seedtest.analytics.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.io.Quarantine;
import io.seedtest.analytics.io.ServingTables;
import io.seedtest.analytics.io.UpsertSpec;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.kpi.StageTimes;
import io.seedtest.analytics.run.DateWindow;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workstream E: one self-contained HTML report per student with a weekly_kpi row on the week's
 * last day D (docs/reports.md), stored as {@code …/week_ending=D/user_id=U/<locale>.html} in S3
 * or under the lake, listed in report_artifact, its recommendations in report_recommendations.
 *
 * <p>The recipe: check the store (credentials, bucket) and list the week's objects before any
 * work; in lake mode, stop there when the last completed run of this week, locale, users and store
 * read the same versions of every input table and left everything it stored in place
 * ({@link ReportRuns}); otherwise gather each student's
 * inputs into one row ({@link ReportInputs}) with its input hash ({@link ReportInputHash}), and
 * mark for skipping the students whose stored artifact row has that hash and whose object the
 * store's one listing of the week shows; on the executors, choose her recommendations,
 * render and store the page ({@link RenderReports}), one row per report saying what happened;
 * publish the artifact rows of the reports that are stored (written now, or already there with
 * the same checksum), every student's recommendations and, when nothing failed, the run's record
 * of its input versions. Reports that could not be stored get
 * no row and are counted in {@link #failed()}: the command then exits non-zero, and a rerun of
 * the week stores only what is missing or changed.
 */
public final class GenerateWeeklyReportsJob implements Job {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateWeeklyReportsJob.class);
  public static final String NAME = "generate-weekly-reports";

  private final AttemptSource source;
  private final ReportStorage storage;
  private final ReportOptions options;
  private final StageTimes.Listener stages;
  private final Map<String, Long> byStatus = new HashMap<>();
  private String firstError;
  private long renderNanos;
  private long storeNanos;
  private long totalBytes;
  private String sample;
  private String report = "";
  private long listedObjects;

  public GenerateWeeklyReportsJob(AttemptSource source, ReportStorage storage, ReportOptions options) {
    this(source, storage, options, StageTimes.Listener.NONE);
  }

  /** With a stage hook: the benchmark times each stage of a run. */
  public GenerateWeeklyReportsJob(AttemptSource source, ReportStorage storage, ReportOptions options,
      StageTimes.Listener stages) {
    this.source = source;
    this.storage = storage;
    this.options = options;
    this.stages = stages;
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
    StageTimes times = new StageTimes(stages);
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
    Map<Long, Long> listed = ctx.dryRun() ? Map.of() : store.stored(day, options.locale());
    listedObjects = listed.size();
    String scope = ReportRuns.scope(options.users());
    Optional<String> inputVersions = ctx.dryRun() ? Optional.empty() : ReportRuns.inputs(spark, ctx.settings(),
        ReportInputHash.fingerprint(options.locale(), options.topN(), ItemPool.EMPTY));
    Optional<Row> done = inputVersions.flatMap(v -> ReportRuns.completed(spark, ctx.settings(), day,
        options.locale().tag(), scope, store.describe(), v));
    if (done.isPresent() && everythingStored(spark, ctx, day, listed, done.get().getAs("reports"))) {
      return nothingChanged(spark, day, store, done.get(), times);
    }
    ItemPool pool = ReportInputs.itemPool(spark, ctx.settings(), source);
    Dataset<Row> inputs = ReportInputs.students(spark, ctx.settings(), source, day, options.users());
    String fingerprint = ReportInputHash.fingerprint(options.locale(), options.topN(), pool);
    Dataset<Row> students = withSkip(spark, ctx, listed, day,
        inputs.withColumn(RenderReports.INPUT_HASH, ReportInputHash.column(inputs.schema(), fingerprint)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    long n = students.count();
    times.mark("read and join (" + n + " students, " + pool.size() + " calibrated items)");

    Timestamp renderedAt = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    RenderReports render = new RenderReports(new Recommender(pool, options.topN()), store, options.locale(),
        renderedAt, ctx.runId().toString(), ctx.dryRun());
    // Rendered and stored exactly once, eagerly: a persisted Dataset's partitions were computed a
    // second time (a second PUT of the same report, seen in GenerateWeeklyReportsS3Test), which the
    // HEAD before each PUT used to hide; a local checkpoint runs the partitions in one job and keeps
    // their rows for the counts and both outputs.
    Dataset<Row> rendered = students.mapPartitions(render, Encoders.row(RenderReports.SCHEMA)).localCheckpoint(true);
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
        "%d %s reports for the week ending %s: %d written, %d unchanged, %d skipped (inputs unchanged, not "
            + "rendered), %d failed%s (%.1f kB each; store %s)",
        n, options.locale().tag(), day, count(RenderReports.WRITTEN), count(RenderReports.UNCHANGED),
        count(RenderReports.SKIPPED), failed(),
        ctx.dryRun() ? ", dry run: none stored" : "", n == 0 ? 0.0 : totalBytes / 1024.0 / n, store.describe());
    report = summary + "\n" + listedObjects + " reports of the week were already in the store (one listing)"
        + "\nstages: " + times + String.format(Locale.ROOT, "; executor time: render %.1f s, store %.1f s",
        renderNanos / 1e9, storeNanos / 1e9) + "\n";
    LOG.info("{} {}: stages: {}", NAME, day, times);
    if (failed() > 0) {
      LOG.warn("{} {}: {} reports could not be stored, first error: {}", NAME, day, failed(), firstError);
    }
    // Recommendations before artifacts: the artifact row's input hash is what lets the next run
    // skip a student, so it is written last; a run that dies between the two lake MERGEs leaves old
    // hashes and the next run renders those students again. When every report was skipped, each
    // student's inputs hash to what the stored artifact row records, and the recommendations were
    // written with that row: merging either again would change nothing and cost a MERGE each.
    List<Output> outputs = new ArrayList<>(count(RenderReports.SKIPPED) == n && n > 0
        ? List.of()
        : List.of(new Output(recSpec, recommendations, w), new Output(ReportTables.ARTIFACT_SPEC, artifacts, w)));
    // Last, and only when every report is stored: the record that lets the next run with the same
    // input versions stop before reading them. A run with failures leaves the old record (or none).
    if (inputVersions.isPresent() && failed() == 0) {
      outputs.add(new Output(ReportRuns.SPEC, ReportRuns.row(spark, day, options.locale().tag(), scope,
          store.describe(), inputVersions.get(), n, renderedAt, ctx.runId().toString()), w));
    }
    return new JobResult(outputs, noQuarantine, n, summary, List.of(students, rendered, artifacts, recommendations));
  }

  /**
   * Adds to each student row what the executors need to skip her report: her stored artifact row
   * of this week and locale (if any) and whether the store's one listing of the week shows its
   * object with the row's size. {@code skip} is true when both agree and the input hash is the
   * stored one. A dry run stores nothing and lists nothing: it renders everyone.
   */
  private Dataset<Row> withSkip(SparkSession spark, RunContext ctx, Map<Long, Long> listed, LocalDate day,
      Dataset<Row> students) {
    Optional<Dataset<Row>> table = ctx.dryRun() ? Optional.empty()
        : ServingTables.readIfExists(spark, ctx.settings(), ReportTables.ARTIFACT);
    Dataset<Row> stored = table.map(t -> t
            .where(col("week_ending").equalTo(lit(java.sql.Date.valueOf(day)))
                .and(col("locale").equalTo(options.locale().tag())))
            .select(col("user_id"), col("url").as(RenderReports.STORED_URL), col("sha256").as(RenderReports.STORED_SHA256),
                col("bytes").cast("long").as(RenderReports.STORED_BYTES),
                // a lake table written before V16 has no input_hash: every row then renders once more
                (java.util.Arrays.asList(t.columns()).contains("input_hash") ? col("input_hash")
                    : lit(null).cast("string")).as("stored_input_hash")))
        .orElse(null);
    List<Row> present = new ArrayList<>(listed.size());
    listed.forEach((user, bytes) -> present.add(RowFactory.create(user, bytes)));
    Dataset<Row> objects = spark.createDataFrame(present, new StructType()
        .add("user_id", DataTypes.LongType, false).add("object_bytes", DataTypes.LongType, false));
    Dataset<Row> out = students.join(broadcast(objects), students.col("user_id").equalTo(objects.col("user_id")),
        "left").drop(objects.col("user_id"))
        .withColumn(RenderReports.EXISTS, col("object_bytes").isNotNull());
    if (stored == null) {
      return out.withColumn(RenderReports.STORED_URL, lit(null).cast("string"))
          .withColumn(RenderReports.STORED_SHA256, lit(null).cast("string"))
          .withColumn(RenderReports.STORED_BYTES, lit(null).cast("long"))
          .withColumn(RenderReports.SKIP, lit(false)).drop("object_bytes");
    }
    return out.join(stored, "user_id", "left")
        .withColumn(RenderReports.SKIP, coalesce(col("stored_input_hash").equalTo(col(RenderReports.INPUT_HASH))
            .and(col("object_bytes").equalTo(col(RenderReports.STORED_BYTES))), lit(false)))
        .drop("object_bytes", "stored_input_hash");
  }

  /**
   * Whether what the recorded run left is still there: the store's listing shows at least its
   * number of reports (of the run's users), and report_artifact has that many rows with an input hash.
   */
  private boolean everythingStored(SparkSession spark, RunContext ctx, LocalDate day, Map<Long, Long> listed,
      long reports) {
    long objects = options.users().isEmpty() ? listed.size()
        : options.users().stream().distinct().filter(listed::containsKey).count();
    return objects >= reports
        && ReportRuns.artifactRows(spark, ctx.settings(), day, options.locale().tag(), options.users()) >= reports;
  }

  /** The whole run skipped: no input read, nothing rendered, stored or merged. */
  private JobResult nothingChanged(SparkSession spark, LocalDate day, ReportStore store, Row done, StageTimes times) {
    long reports = done.getAs("reports");
    byStatus.put(RenderReports.SKIPPED, reports);
    times.mark("input versions unchanged");
    String summary = String.format(Locale.ROOT, "%d %s reports for the week ending %s: nothing to do, no input table "
        + "changed since run %s (%s); 0 rendered, 0 written, %d skipped (store %s)", reports, options.locale().tag(), day,
        done.<String>getAs("run_id"), done.<String>getAs("inputs"), reports, store.describe());
    report = summary + "\n" + listedObjects + " reports of the week were already in the store (one listing)"
        + "\nstages: " + times + "\n";
    LOG.info("{} {}: {}", NAME, day, summary);
    return new JobResult(List.of(), spark.createDataFrame(List.of(), Quarantine.SCHEMA), 0, summary, List.of());
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
