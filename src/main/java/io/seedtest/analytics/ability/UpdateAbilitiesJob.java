package io.seedtest.analytics.ability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.seedtest.analytics.calibration.AbilityHistory;
import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.calibration.StoredRapidGuessThresholds;
import io.seedtest.analytics.Errors;
import io.seedtest.analytics.attempts.AnswerTally;
import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.LakeAttemptSource;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.io.PgCopy;
import io.seedtest.analytics.io.JdbcReads;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.CommitStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workstream C, the batch half: {@code update-abilities}, every few minutes, applies the session-end
 * θ update ({@link UpdateRule}) to every session finished since its watermark, student by student
 * in finish order. docs/irt-online.md has the rule, the watermark and the exactly-once argument.
 *
 * <p><b>PostgreSQL</b> (DATABASE_URL set): Spark reads the new sessions' answers through
 * {@link AttemptSource#resultIdsBetween} (ids past the watermark, minus sessions already applied), validates them
 * with {@link AttemptValidation} (bad answers to quarantine), and computes every student's chain on
 * the executors from her θ at the start. Writing happens in the run's one publishing transaction
 * (a {@link JobResult.DirectWrites} step, with the quarantine rows and the job_runs row): lock out
 * the endpoint, drop the students whose θ or sessions someone changed since the computation (they
 * wait for the next run), upsert mirt_ability, insert mirt_ability_history, record every session in
 * session_ability_updates, advance the watermark. A crash anywhere rolls all of it back; a rerun
 * redoes it; a session already recorded is never applied again.
 *
 * <p><b>Embedded</b> (the lake, no database): no endpoint and no concurrent writer, so the job
 * recomputes rather than increments: for each student, every session after her latest calibration
 * θ (lake mirt_ability_history, source 'calibration') is applied in order from that θ, and the
 * results are MERGEd into the lake's mirt_ability, mirt_ability_history and session_ability_updates.
 * A rerun gives the same rows, so a crash between the three MERGEs is repaired by running again.
 */
public final class UpdateAbilitiesJob implements Job {
  public static final String NAME = "update-abilities";
  private static final Logger LOG = LoggerFactory.getLogger(UpdateAbilitiesJob.class);

  /** Fault injection for tests: called inside the commit transaction. */
  public interface Hooks {
    /** After mirt_ability, its history and session_ability_updates are written, before the watermark. */
    default void afterAbilityWrites(Connection c) throws SQLException {}

    /** The commit step's time (ms), at its end inside the transaction: the benchmark's stage hook. */
    default void committed(long millis) {}
  }

  public static final Hooks NO_HOOKS = new Hooks() {};

  private final UpdateAbilitiesOptions options;
  private final Hooks hooks;

  public UpdateAbilitiesJob(UpdateAbilitiesOptions options) {
    this(options, NO_HOOKS);
  }

  public UpdateAbilitiesJob(UpdateAbilitiesOptions options, Hooks hooks) {
    this.options = options;
    this.hooks = hooks;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobResult run(RunContext ctx) {
    return ctx.settings().database().isPresent() ? runPostgres(ctx, ctx.settings().database().get()) : runLake(ctx);
  }

  // ---- PostgreSQL ---------------------------------------------------------------------------------

  /** What the driver reads before Spark starts: position, new range, parameters. */
  private record Start(Watermark watermark, long hi, Instant at, ItemParamsSnapshot params,
      SessionTables.ItemBankSnapshot bank) {}

  /** The item bank as the frame {@link AttemptValidation#split} joins with (read once on the driver). */
  private static Dataset<Row> bankFrame(SparkSession spark, SessionTables.ItemBankSnapshot bank) {
    List<Row> rows = new ArrayList<>(bank.topics().size());
    bank.topics().forEach((id, topic) -> rows.add(org.apache.spark.sql.RowFactory.create(id, topic)));
    return spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
        .add("item_id", org.apache.spark.sql.types.DataTypes.LongType, false)
        .add("topic", org.apache.spark.sql.types.DataTypes.StringType, true));
  }

  private JobResult runPostgres(RunContext ctx, DatabaseUrl db) {
    SparkSession spark = ctx.spark();
    Start start = readStart(db);
    Instant now = Instant.now();
    LOG.info("{}: exam_results ids ({}, {}] (watermark: safe {}, seen {} at {}), {} calibrated items (calibration {}),"
            + " drift {} per day", NAME, start.watermark().safe(), start.hi(), start.watermark().safe(),
        start.watermark().seen(), start.watermark().seenAt(), start.params().size(), start.params().calibrationId(),
        options.driftPerDay());

    long lo = start.watermark().safe();
    long hi = start.hi();
    Dataset<Row> raw = AttemptSource.from(ctx.settings()).resultIdsBetween(spark, lo, hi, SessionTables.UPDATES)
        .persist(StorageLevel.MEMORY_AND_DISK());
    String stateQuery = "(SELECT m.user_id, m.theta AS prev_theta, m.theta_se AS prev_theta_se, m.as_of AS prev_as_of,"
        + " m.source AS prev_source, m.calibration_id AS prev_calibration_id, m.answers_used AS prev_answers_used"
        + " FROM " + IrtTables.ABILITY + " m WHERE m.user_id IN (SELECT e.user_id FROM exam_results e"
        + " WHERE e.id > " + lo + " AND e.id <= " + hi + ")) states";
    Dataset<Row> states = JdbcReads.read(spark, db, stateQuery);
    Dataset<Row> bank = bankFrame(spark, start.bank());

    long t0 = System.nanoTime();
    Computed computed = compute(ctx, raw, bank, !start.bank().isEmpty(), states, start.params(), now);
    LOG.info("{}: read, validated and computed {} sessions of {} students in {} s", NAME, computed.tally().sessions(),
        computed.tally().students(), String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    List<Dataset<Row>> persisted = new ArrayList<>(List.of(raw, computed.updates(), computed.quarantine(),
        computed.verdicts()));
    Tally t = computed.tally();
    String summary = String.format("%s; %d sessions of %d students: %d updated θ, %d without usable answers, %d covered"
            + " by the calibration; answers used %d, skipped (item not calibrated) %d, %s, invalid %d; ids (%d, %d]",
        computed.answers().line(), t.sessions(), t.students(), t.updated(), t.noUsable(), t.covered(), t.used(),
        t.skipped(), rapidGuesses(t), t.invalid(), lo, hi);
    CommitStep commit = c -> commit(c, ctx, start, computed.updates());
    return new JobResult(List.of(), computed.quarantine(), computed.answers().read(), summary, persisted,
        new JobResult.DirectWrites(List.of(commit), t.sessions()));
  }

  private Start readStart(DatabaseUrl db) {
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      Watermark w = Watermark.read(c, false);
      long hi;
      Instant at;
      try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), ?), clock_timestamp() FROM"
          + " (SELECT id FROM exam_results WHERE id > ? ORDER BY id LIMIT ?) x")) {
        ps.setLong(1, w.safe());
        ps.setLong(2, w.safe());
        ps.setInt(3, options.maxSessions());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          hi = rs.getLong(1);
          at = rs.getTimestamp(2).toInstant();
        }
      }
      ItemParamsSnapshot params = SessionTables.loadItemParams(c);
      SessionTables.ItemBankSnapshot bank = SessionTables.loadItemBank(c);
      c.rollback();
      return new Start(w, hi, at, params, bank);
    } catch (SQLException e) {
      throw Errors.databaseFailure("Reading the update-abilities watermark and item parameters", e);
    }
  }

  /** Columns of the commit's temporary table, in {@link SessionChains#UPDATE_SCHEMA} order. */
  private static final String BATCH_TABLE = "session_batch";

  /**
   * The commit step, inside the run's publishing transaction: lock out the endpoint, load the
   * computed rows, leave out students someone changed since, write, advance the watermark.
   */
  private void commit(Connection c, RunContext ctx, Start start, Dataset<Row> updates) throws SQLException {
    long t0 = System.nanoTime();
    // Load the computed rows first (a private temporary table), so the lock below is held only for
    // the checks and the writes.
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMP TABLE " + BATCH_TABLE + " (session_id BIGINT, user_id BIGINT, result_id BIGINT,"
          + " finished_at TIMESTAMPTZ, chain_seq INT, outcome TEXT, theta_before FLOAT8, se_before FLOAT8,"
          + " before_as_of TIMESTAMPTZ, before_source TEXT, prior_sd FLOAT8, days_since FLOAT8, theta_after FLOAT8,"
          + " se_after FLOAT8, answers_used INT, skipped INT, invalid INT, calibration_id TEXT,"
          + " state_as_of TIMESTAMPTZ, state_answers_used INT, answers INT, rapid_guesses INT) ON COMMIT DROP");
    }
    long loaded = PgCopy.copyRows(c, "COPY " + BATCH_TABLE + " FROM STDIN", updates.toLocalIterator(), "");
    try (Statement st = c.createStatement()) {
      st.execute("ANALYZE " + BATCH_TABLE);
      st.execute("SELECT pg_advisory_xact_lock(" + SessionTables.LOCK_NS_BATCH + ", 0)");
    }
    long tLocked = System.nanoTime();
    Watermark current = Watermark.read(c, true);
    if (!current.equals(start.watermark())) {
      throw Errors.watermarkMoved(NAME, start.watermark(), current);
    }
    if (!SessionTables.itemParamsFingerprint(c).equals(start.params().fingerprint())) {
      throw Errors.itemParamsChanged(NAME);
    }
    long conflicted = 0;
    Long firstLeft = null;
    long[] written = new long[3];
    try (Statement st = c.createStatement()) {
      // Row locks on the students' current θ: the weekly calibration writes mirt_ability too.
      st.execute("SELECT count(*) FROM (SELECT 1 FROM " + IrtTables.ABILITY + " m WHERE m.user_id IN"
          + " (SELECT user_id FROM " + BATCH_TABLE + ") ORDER BY m.user_id FOR UPDATE) locked");
      // Students whose θ is no longer the one the chain started from, or with a session applied
      // by the endpoint since: left for the next run.
      st.execute("CREATE TEMP TABLE session_batch_left ON COMMIT DROP AS"
          + " SELECT b.user_id FROM " + BATCH_TABLE + " b WHERE EXISTS (SELECT 1 FROM " + SessionTables.UPDATES
          + " u WHERE u.session_id = b.session_id)"
          + " UNION SELECT b.user_id FROM " + BATCH_TABLE + " b LEFT JOIN " + IrtTables.ABILITY
          + " m ON m.user_id = b.user_id WHERE b.chain_seq = 1 AND (m.theta, m.theta_se, m.as_of, m.source)"
          + " IS DISTINCT FROM (b.theta_before, b.se_before, b.before_as_of, b.before_source)");
      try (ResultSet rs = st.executeQuery("SELECT count(*), min(b.result_id) FROM " + BATCH_TABLE
          + " b JOIN session_batch_left l USING (user_id)")) {
        rs.next();
        conflicted = rs.getLong(1);
        long min = rs.getLong(2);
        firstLeft = rs.wasNull() ? null : min;
      }
      if (conflicted > 0) {
        st.executeUpdate("DELETE FROM " + BATCH_TABLE + " b USING session_batch_left l WHERE b.user_id = l.user_id");
      }
      written[0] = st.executeUpdate("INSERT INTO " + IrtTables.ABILITY + " AS t (user_id, theta, theta_se,"
          + " answers_used, as_of, calibration_id, source)"
          + " SELECT DISTINCT ON (user_id) user_id, theta_after, se_after, state_answers_used, state_as_of,"
          + " calibration_id, 'session' FROM " + BATCH_TABLE + " WHERE outcome = 'updated'"
          + " ORDER BY user_id, chain_seq DESC"
          + " ON CONFLICT (user_id) DO UPDATE SET theta = EXCLUDED.theta, theta_se = EXCLUDED.theta_se,"
          + " answers_used = EXCLUDED.answers_used, as_of = EXCLUDED.as_of, calibration_id = EXCLUDED.calibration_id,"
          + " source = EXCLUDED.source, updated_at = now()");
      written[1] = st.executeUpdate("INSERT INTO " + IrtTables.ABILITY_HISTORY + " (user_id, as_of, source,"
          + " theta, theta_se, answers_used, calibration_id)"
          + " SELECT DISTINCT ON (user_id, finished_at) user_id, finished_at, 'session', theta_after, se_after,"
          + " state_answers_used, calibration_id FROM " + BATCH_TABLE + " WHERE outcome = 'updated'"
          + " ORDER BY user_id, finished_at, chain_seq DESC"
          + " ON CONFLICT (user_id, as_of, source, calibration_id) DO UPDATE SET theta = EXCLUDED.theta,"
          + " theta_se = EXCLUDED.theta_se, answers_used = EXCLUDED.answers_used, updated_at = now()");
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SessionTables.UPDATES + " (session_id, user_id,"
        + " result_id, finished_at, outcome, theta_before, se_before, prior_sd, days_since, theta_after, se_after,"
        + " answers_used, skipped, invalid, calibration_id, applied_at, applied_by, run_id)"
        + " SELECT session_id, user_id, result_id, finished_at, outcome, theta_before, se_before, prior_sd, days_since,"
        + " theta_after, se_after, answers_used, skipped, invalid, calibration_id, now(), '"
        + SessionTables.APPLIED_BY_BATCH + "', ? FROM " + BATCH_TABLE)) {
      ps.setObject(1, ctx.runId());
      written[2] = ps.executeUpdate();
    }
    hooks.afterAbilityWrites(c);
    Watermark next = start.watermark().advance(start.hi(), start.at(), options.safetyLag(), firstLeft);
    next.write(c, ctx.runId());
    long commitMillis = (System.nanoTime() - t0) / 1_000_000;
    hooks.committed(commitMillis);
    LOG.info("{}: commit: {} sessions recorded ({} mirt_ability rows, {} history rows){}; watermark safe {} -> {},"
            + " seen {}; {} ms ({} ms holding the lock that queues the endpoint)", NAME, written[2], written[0],
        written[1], conflicted > 0 ? ", " + conflicted + " sessions of students changed meanwhile left for the next run"
            : "", start.watermark().safe(), next.safe(), next.seen(), commitMillis,
        (System.nanoTime() - tLocked) / 1_000_000);
    if (loaded != written[2] + conflicted) {
      throw new IllegalStateException(NAME + ": loaded " + loaded + " rows but recorded " + written[2] + " and left "
          + conflicted + "; nothing was written");
    }
  }

  // ---- shared computation -------------------------------------------------------------------------

  private record Tally(long sessions, long students, long updated, long noUsable, long covered, long used,
      long skipped, long invalid, long answers, long rapidGuesses) {}

  /** The run line's part on rapid guesses. */
  private String rapidGuesses(Tally t) {
    return options.keepRapidGuesses() ? "rapid guesses kept (--keep-rapid-guesses)"
        : "rapid guesses left out " + t.rapidGuesses();
  }

  private record Computed(Dataset<Row> updates, Dataset<Row> quarantine, Tally tally, Dataset<Row> verdicts,
      AnswerTally answers) {}

  private Computed compute(RunContext ctx, Dataset<Row> raw, Dataset<Row> bank, boolean checkItems,
      Dataset<Row> states, ItemParamsSnapshot params, Instant now) {
    SparkSession spark = ctx.spark();
    // Materialise the (persisted) answers once: adaptive execution submits the independent stages
    // below together, and each would otherwise read the attempt view over JDBC again.
    raw.count();
    AttemptValidation.Split split = AttemptValidation.split(raw, bank, checkItems, now);
    // no date window: every answer read is the run's own
    AnswerTally read = AnswerTally.of(split.verdicts(), lit(true));
    read.requireShareAtMost(ctx.settings().maxQuarantineShare(), NAME, split.quarantined());
    Dataset<Row> quarantine = AttemptValidation.quarantineRows(split.quarantined(), ctx.runId(), NAME, now)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> sessions = SessionChains.sessions(raw);
    Dataset<Row> updates = SessionChains.compute(spark, sessions, split.valid(), states, params, options.rule())
        .persist(StorageLevel.MEMORY_AND_DISK());
    Row r = updates.agg(
        org.apache.spark.sql.functions.count(lit(1)),
        org.apache.spark.sql.functions.countDistinct(col("user_id")),
        sum(when(col("outcome").equalTo(Outcome.UPDATED.code()), 1).otherwise(0)),
        sum(when(col("outcome").equalTo(Outcome.NO_USABLE_ANSWERS.code()), 1).otherwise(0)),
        sum(when(col("outcome").equalTo(Outcome.COVERED_BY_CALIBRATION.code()), 1).otherwise(0)),
        sum(col("answers_used")), sum(col("skipped")), sum(col("invalid")), sum(col("answers")),
        sum(col("rapid_guesses"))).first();
    long answers = longOrZero(r, 8);
    Tally t = new Tally(r.getLong(0), r.getLong(1), longOrZero(r, 2), longOrZero(r, 3), longOrZero(r, 4),
        longOrZero(r, 5), longOrZero(r, 6), longOrZero(r, 7), answers, longOrZero(r, 9));
    return new Computed(updates, quarantine, t, split.verdicts(), read);
  }

  private static long longOrZero(Row r, int i) {
    return r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
  }

  // ---- embedded lake -------------------------------------------------------------------------------

  private JobResult runLake(RunContext ctx) {
    SparkSession spark = ctx.spark();
    Lake lake = ctx.lake();
    Instant now = Instant.now();
    if (!lake.exists(spark, IrtTables.ITEM_PARAMS)) {
      String why = "no calibration in the lake yet (" + lake.path(IrtTables.ITEM_PARAMS)
          + " is missing): run calibrate-irt first; nothing to update";
      LOG.warn("{}: {}", NAME, why);
      return new JobResult(List.of(), emptyQuarantine(ctx), 0, why, List.of());
    }
    LakeAttemptSource source = new LakeAttemptSource(lake);
    Dataset<Row> attempts = source.finishedBetween(spark, Instant.EPOCH, now.plusSeconds(86_400L * 2));
    Dataset<Row> bank = lake.exists(spark, Lake.ITEM_BANK) ? source.itemBank(spark)
        : spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType()
            .add("item_id", org.apache.spark.sql.types.DataTypes.LongType)
            .add("topic", org.apache.spark.sql.types.DataTypes.StringType));
    Dataset<Row> history = AbilityHistory.read(spark, lake);
    LOG.info("{}: embedded: replaying the sessions after each student's calibration θ from the lake at {}", NAME, lake);
    return replay(ctx, attempts, bank, lake.read(spark, IrtTables.ITEM_PARAMS), history, now);
  }

  /**
   * Embedded mode's computation, on Datasets (the caller reads the lake; the runner MERGEs the
   * outputs): from each student's latest calibration θ in {@code history} (null: none), every
   * session of {@code attempts} after it, in order.
   *
   * @param itemParams rows of mirt_item_params (item_id, a, b, c, calibration_id, calibrated)
   */
  JobResult replay(RunContext ctx, Dataset<Row> attempts, Dataset<Row> bank, Dataset<Row> itemParams,
      Dataset<Row> history, Instant now) {
    SparkSession spark = ctx.spark();
    ItemParamsSnapshot params = lakeParams(itemParams);
    Dataset<Row> base = history != null ? latestCalibration(history)
        : spark.createDataFrame(List.of(), SessionChains.STATE_SCHEMA);
    // Replay only what the calibration did not see: sessions after the student's calibration θ.
    Dataset<Row> raw = attempts.join(base.select(col("user_id").as("_u"), col("prev_as_of").as("_since")),
            col(Attempts.USER_ID).equalTo(col("_u")), "left")
        .where(col("_since").isNull().or(col(Attempts.FINISHED_AT).gt(col("_since"))))
        .select(java.util.Arrays.stream(Attempts.SCHEMA.fieldNames()).map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> bankRows = bank.persist(StorageLevel.MEMORY_AND_DISK());
    Computed computed = compute(ctx, raw, bankRows, !bankRows.isEmpty(), base, params, now);
    Dataset<Row> u = computed.updates();
    Timestamp appliedAt = Timestamp.from(now);
    Dataset<Row> sessionRows = u.select(col("session_id"), col("user_id"), col("result_id"), col("finished_at"),
        col("outcome"), col("theta_before"), col("se_before"), col("prior_sd"), col("days_since"), col("theta_after"),
        col("se_after"), col("answers_used"), col("skipped"), col("invalid"), col("calibration_id"),
        lit(SessionTables.APPLIED_BY_BATCH).as("applied_by"), lit(appliedAt).as("applied_at"),
        lit(ctx.runId().toString()).as("run_id"));
    Dataset<Row> updated = u.where(col("outcome").equalTo(Outcome.UPDATED.code()));
    Dataset<Row> historyRows = updated
        .withColumn("_rank", row_number().over(Window.partitionBy("user_id", "finished_at").orderBy(desc("chain_seq"))))
        .where(col("_rank").equalTo(1))
        .select(col("user_id"), col("finished_at").as("as_of"), lit(AbilityState.SOURCE_SESSION).as("source"),
            col("theta_after").as("theta"), col("se_after").as("theta_se"), col("state_answers_used").as("answers_used"),
            col("calibration_id"));
    Dataset<Row> ability = updated
        .withColumn("_rank", row_number().over(Window.partitionBy("user_id").orderBy(desc("chain_seq"))))
        .where(col("_rank").equalTo(1))
        .select(col("user_id"), col("theta_after").as("theta"), col("se_after").as("theta_se"),
            col("state_answers_used").as("answers_used"), col("state_as_of").as("as_of"), col("calibration_id"),
            lit(AbilityState.SOURCE_SESSION).as("source"));
    Tally t = computed.tally();
    String summary = String.format("%s; embedded replay: %d sessions of %d students after their calibration θ: %d updated"
            + " θ, %d without usable answers; answers used %d, skipped (item not calibrated) %d, %s, invalid %d"
            + " (%d calibrated items, calibration %s)",
        computed.answers().line(), t.sessions(), t.students(), t.updated(), t.noUsable(), t.used(), t.skipped(),
        rapidGuesses(t), t.invalid(), params.size(),
        params.calibrationId());
    List<Output> outputs = List.of(new Output(SessionTables.UPDATES_SPEC, sessionRows, null),
        new Output(IrtTables.ABILITY_HISTORY_SPEC, historyRows, null),
        new Output(IrtTables.ABILITY_SPEC, ability, null));
    return new JobResult(outputs, computed.quarantine(), computed.answers().read(), summary,
        List.of(raw, bankRows, computed.updates(), computed.quarantine(), computed.verdicts()));
  }

  private static Dataset<Row> emptyQuarantine(RunContext ctx) {
    return ctx.spark().createDataFrame(List.of(), io.seedtest.analytics.io.Quarantine.SCHEMA);
  }

  /** The latest calibration θ per student (the replay's starting points), as {@link SessionChains#STATE_SCHEMA}. */
  private static Dataset<Row> latestCalibration(Dataset<Row> history) {
    return history.where(col("source").equalTo(AbilityState.SOURCE_CALIBRATION))
        .withColumn("_rank", row_number().over(Window.partitionBy("user_id").orderBy(desc("as_of"))))
        .where(col("_rank").equalTo(1))
        .select(col("user_id").cast("long"), col("theta").as("prev_theta"), col("theta_se").as("prev_theta_se"),
            col("as_of").as("prev_as_of"), col("source").as("prev_source"),
            col("calibration_id").as("prev_calibration_id"), col("answers_used").cast("int").as("prev_answers_used"));
  }

  private static ItemParamsSnapshot lakeParams(Dataset<Row> table) {
    // a lake calibrated before V18 has no thresholds until its next calibration
    org.apache.spark.sql.Column threshold = List.of(table.columns()).contains(StoredRapidGuessThresholds.COLUMN)
        ? col(StoredRapidGuessThresholds.COLUMN) : lit(null).cast("double");
    List<Row> rows = table.where(col("calibrated").and(col("a").isNotNull()).and(col("b").isNotNull())
        .and(col("c").isNotNull())).select(col("item_id"), col("a"), col("b"), col("c"), col("calibration_id"),
            threshold).collectAsList();
    long[] ids = new long[rows.size()];
    ItemParams[] params = new ItemParams[rows.size()];
    double[] thresholds = new double[rows.size()];
    java.util.Map<String, Integer> byCalibration = new java.util.HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      Row r = rows.get(i);
      ids[i] = ((Number) r.get(0)).longValue();
      params[i] = ItemParams.of(r.getDouble(1), r.getDouble(2), r.getDouble(3));
      byCalibration.merge(String.valueOf(r.get(4)), 1, Integer::sum);
      thresholds[i] = r.isNullAt(5) ? Double.NaN : r.getDouble(5);
    }
    String calibrationId = byCalibration.entrySet().stream()
        .max(java.util.Map.Entry.<String, Integer>comparingByValue().thenComparing(java.util.Map.Entry.comparingByKey()))
        .map(java.util.Map.Entry::getKey).orElse(null);
    return new ItemParamsSnapshot(ids, params, calibrationId, "lake/" + ids.length, thresholds);
  }
}
