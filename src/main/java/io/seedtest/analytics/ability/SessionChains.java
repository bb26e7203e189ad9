package io.seedtest.analytics.ability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.seedtest.analytics.io.Attempts;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.CoGroupFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The batch job's computation, the same in both modes: sessions, the student's θ at the start and
 * her valid answers cogrouped by student, and {@link UpdateRule#applyInOrder} over each student's
 * sessions in finish order on the executors. One output row per session: what
 * session_ability_updates records, the state the chain started from (to detect, at commit, that
 * someone else moved θ meanwhile) and the state after the session.
 */
final class SessionChains {
  /** The state a student's chain starts from (a mirt_ability row), columns prefixed {@code prev_}. */
  static final StructType STATE_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("prev_theta", DataTypes.DoubleType, true)
      .add("prev_theta_se", DataTypes.DoubleType, true)
      .add("prev_as_of", DataTypes.TimestampType, true)
      .add("prev_source", DataTypes.StringType, true)
      .add("prev_calibration_id", DataTypes.StringType, true)
      .add("prev_answers_used", DataTypes.IntegerType, true);

  /** One applied session. Column order is the COPY order into the commit's temporary table. */
  static final StructType UPDATE_SCHEMA = new StructType()
      .add("session_id", DataTypes.LongType, false)
      .add("user_id", DataTypes.LongType, false)
      .add("result_id", DataTypes.LongType, false)
      .add("finished_at", DataTypes.TimestampType, false)
      .add("chain_seq", DataTypes.IntegerType, false)
      .add("outcome", DataTypes.StringType, false)
      .add("theta_before", DataTypes.DoubleType, true)
      .add("se_before", DataTypes.DoubleType, true)
      .add("before_as_of", DataTypes.TimestampType, true)
      .add("before_source", DataTypes.StringType, true)
      .add("prior_sd", DataTypes.DoubleType, false)
      .add("days_since", DataTypes.DoubleType, false)
      .add("theta_after", DataTypes.DoubleType, false)
      .add("se_after", DataTypes.DoubleType, false)
      .add("answers_used", DataTypes.IntegerType, false)
      .add("skipped", DataTypes.IntegerType, false)
      .add("invalid", DataTypes.IntegerType, false)
      .add("calibration_id", DataTypes.StringType, true)
      .add("state_as_of", DataTypes.TimestampType, true)
      .add("state_answers_used", DataTypes.IntegerType, true)
      .add("answers", DataTypes.IntegerType, false)
      .add("rapid_guesses", DataTypes.IntegerType, false);

  private SessionChains() {}

  /**
   * One row per session of {@code raw} (Attempts schema) that has ids: result_id, session_id,
   * user_id, finished_at, answers (all of them, valid or not).
   */
  static Dataset<Row> sessions(Dataset<Row> raw) {
    return raw.where(col(Attempts.RESULT_ID).isNotNull().and(col(Attempts.SESSION_ID).isNotNull())
            .and(col(Attempts.USER_ID).isNotNull()).and(col(Attempts.FINISHED_AT).isNotNull()))
        .groupBy(Attempts.RESULT_ID, Attempts.SESSION_ID, Attempts.USER_ID, Attempts.FINISHED_AT)
        .agg(count(lit(1)).as("answers"));
  }

  /**
   * Applies every student's sessions in order, starting from her state in {@code states}
   * ({@link #STATE_SCHEMA}; students without a row start from the population prior). One shuffle:
   * the sessions and the states (one union) cogrouped by student with her valid answers.
   *
   * @param sessions from {@link #sessions}
   * @param validAnswers valid answers (Attempts columns)
   */
  static Dataset<Row> compute(SparkSession spark, Dataset<Row> sessions, Dataset<Row> validAnswers,
      Dataset<Row> states, ItemParamsSnapshot params, UpdateRule rule) {
    Dataset<Row> left = sessions.unionByName(states, true);
    Dataset<Row> right = validAnswers.select(col(Attempts.USER_ID), col(Attempts.RESULT_ID), col(Attempts.SEQ),
        col(Attempts.ITEM_ID), col(Attempts.CORRECT), col(Attempts.RESPONSE_TIME_MS).cast("double"));
    Broadcast<ItemParamsSnapshot> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(params);
    boolean java8 = java8Time(spark);
    MapFunction<Row, Long> byUser = r -> r.getLong(r.fieldIndex(Attempts.USER_ID));
    return left.groupByKey(byUser, Encoders.LONG())
        .cogroup(right.groupByKey(byUser, Encoders.LONG()), new Chain(shared, rule, java8), Encoders.row(UPDATE_SCHEMA));
  }

  static boolean java8Time(SparkSession spark) {
    return Boolean.parseBoolean(spark.conf().get("spark.sql.datetime.java8API.enabled", "false"));
  }

  static Instant instant(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof Timestamp ts ? ts.toInstant() : (Instant) v;
  }

  static Object external(Instant i, boolean java8) {
    return i == null ? null : java8 ? i : Timestamp.from(i);
  }

  /** The per-student function; serializable, broadcast parameters. */
  static final class Chain implements CoGroupFunction<Long, Row, Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<ItemParamsSnapshot> params;
    private final UpdateRule rule;
    private final boolean java8;

    Chain(Broadcast<ItemParamsSnapshot> params, UpdateRule rule, boolean java8) {
      this.params = params;
      this.rule = rule;
      this.java8 = java8;
    }

    /** One valid answer: position in the session, item, correct, response time (NaN: unknown). */
    private record Answer(int seq, long item, boolean correct, double responseTimeMs) {}

    @Override
    public Iterator<Row> call(Long userId, Iterator<Row> sessionsAndState, Iterator<Row> validAnswers) {
      Map<Long, List<Answer>> byResult = new HashMap<>();
      while (validAnswers.hasNext()) {
        Row a = validAnswers.next();
        byResult.computeIfAbsent(a.getLong(1), k -> new ArrayList<>())
            .add(new Answer(a.getInt(2), a.getLong(3), a.getBoolean(4), a.isNullAt(5) ? Double.NaN : a.getDouble(5)));
      }
      List<SessionAnswers> sessions = new ArrayList<>();
      Map<Long, Integer> answersOf = new HashMap<>();
      AbilityState start = null;
      while (sessionsAndState.hasNext()) {
        Row r = sessionsAndState.next();
        int resultField = r.fieldIndex(Attempts.RESULT_ID);
        if (r.isNullAt(resultField)) {
          // the state row
          int t = r.fieldIndex("prev_theta");
          if (!r.isNullAt(t)) {
            int used = r.fieldIndex("prev_answers_used");
            start = new AbilityState(r.getDouble(t), r.getDouble(r.fieldIndex("prev_theta_se")),
                instant(r.get(r.fieldIndex("prev_as_of"))), r.getString(r.fieldIndex("prev_source")),
                r.getString(r.fieldIndex("prev_calibration_id")), r.isNullAt(used) ? 0 : r.getInt(used));
          }
          continue;
        }
        long resultId = r.getLong(resultField);
        List<Answer> valid = byResult.getOrDefault(resultId, List.of());
        valid.sort((x, y) -> Integer.compare(x.seq(), y.seq()));
        long[] items = new long[valid.size()];
        boolean[] correct = new boolean[valid.size()];
        double[] times = new double[valid.size()];
        for (int i = 0; i < items.length; i++) {
          items[i] = valid.get(i).item();
          correct[i] = valid.get(i).correct();
          times[i] = valid.get(i).responseTimeMs();
        }
        int answers = (int) r.getLong(r.fieldIndex("answers"));
        answersOf.put(resultId, answers);
        sessions.add(new SessionAnswers(resultId, r.getLong(r.fieldIndex(Attempts.SESSION_ID)), userId,
            instant(r.get(r.fieldIndex(Attempts.FINISHED_AT))), items, correct, answers - items.length, times));
      }
      if (sessions.isEmpty()) {
        return java.util.Collections.emptyIterator();
      }
      sessions.sort(UpdateRule::compare);
      List<SessionUpdate> updates = rule.applyInOrder(start, sessions, params.value());
      List<Row> out = new ArrayList<>(updates.size());
      int seq = 0;
      for (SessionUpdate u : updates) {
        seq++;
        AbilityState b = u.before();
        AbilityState a = u.updated() ? u.after() : null;
        out.add(RowFactory.create(u.sessionId(), u.userId(), u.resultId(), external(u.finishedAt(), java8), seq,
            u.outcome().code(), b == null ? null : b.theta(), b == null ? null : b.se(),
            b == null ? null : external(b.asOf(), java8), b == null ? null : b.source(), u.priorSd(), u.daysSince(),
            u.thetaAfter(), u.seAfter(), u.answersUsed(), u.skipped(), u.invalid(), u.calibrationId(),
            a == null ? null : external(a.asOf(), java8), a == null ? null : a.answersUsed(),
            answersOf.get(u.resultId()), u.rapidGuesses()));
      }
      return out.iterator();
    }
  }
}
