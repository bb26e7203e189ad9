package io.seedtest.analytics.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.seedtest.analytics.attempts.AnswerTally;
import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.calibration.AbilityHistory;
import io.seedtest.analytics.calibration.StoredRapidGuessThresholds;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Workstream A: per user × topic × day (or hour), the learning features of the window's answers,
 * upserted into features_topic_daily. Reads {@value FeaturesTopicDaily#IMPROVEMENT_LOOKBACK_DAYS}
 * extra days before the window (for {@code improvement}) and one day after it (sessions that end
 * after midnight still hold answers of the window's last day). {@code rapid_guess_share} judges
 * every day's answers by the thresholds of the current calibration (mirt_item_params).
 */
public final class AggregateFeaturesDailyJob implements Job {
  public static final String NAME = "aggregate-features-daily";

  private final AttemptSource source;
  private final Granularity granularity;

  public AggregateFeaturesDailyJob(AttemptSource source, Granularity granularity) {
    this.source = source;
    this.granularity = granularity;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobResult run(RunContext ctx) {
    DateWindow w = ctx.window();
    Instant now = Instant.now();
    LocalDate readFrom = w.from().minusDays(FeaturesTopicDaily.IMPROVEMENT_LOOKBACK_DAYS);
    Dataset<Row> attempts = source.finishedBetween(ctx.spark(), startOf(readFrom), startOf(w.endExclusive().plusDays(1)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> bank = source.itemBank(ctx.spark()).cache();
    boolean checkItems = !bank.isEmpty();

    AttemptValidation.Split split = AttemptValidation.split(attempts, bank, checkItems, now);
    Column inWindow = col(AttemptValidation.EVENT_DAY).between(Date.valueOf(w.from()), Date.valueOf(w.to()));
    AnswerTally tally = AnswerTally.of(split.verdicts(), inWindow);
    tally.requireShareAtMost(ctx.settings().maxQuarantineShare(), NAME, split.quarantined().where(inWindow));
    Column withLookback = col(AttemptValidation.EVENT_DAY).between(Date.valueOf(readFrom), Date.valueOf(w.to()));

    Dataset<Row> thresholds = StoredRapidGuessThresholds.read(ctx.spark(), ctx.settings()).orElse(null);
    Dataset<Row> periods = FeaturesTopicDaily.withImprovement(
            FeaturesTopicDaily.aggregate(
                FeaturesTopicDaily.markRapidGuesses(split.valid().where(withLookback), thresholds), granularity))
        .where(col("day").between(Date.valueOf(w.from()), Date.valueOf(w.to())));
    // An empty history (no calibration yet) is no history: the as-of join would cost two exchanges.
    Dataset<Row> history = AbilityHistory.read(ctx.spark(), ctx.settings())
        .filter(h -> !h.isEmpty()).orElse(null);
    Dataset<Row> features = FeaturesTopicDaily.withTheta(periods, history, granularity)
        .withColumn("run_id", lit(ctx.runId().toString()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> quarantine = AttemptValidation.quarantineRows(split.quarantined().where(inWindow),
        ctx.runId(), NAME, now).persist(StorageLevel.MEMORY_AND_DISK());

    Row totals = features.agg(org.apache.spark.sql.functions.sum("attempts"),
        org.apache.spark.sql.functions.countDistinct(col("user_id"))).first();
    long answers = totals.isNullAt(0) ? 0 : totals.getLong(0);
    long users = totals.getLong(1);
    String summary = String.format("%s; %d answers of %d users → %d %s rows (granularity %s, source %s%s)",
        tally.line(), answers, users, features.count(), FeaturesTopicDaily.TABLE, granularity.code(), source.describe(),
        checkItems ? "" : ", no item bank: unknown-item check off");
    return new JobResult(List.of(new Output(FeaturesTopicDaily.SPEC, features, w)), quarantine,
        tally.read(), summary, List.of(attempts, bank, split.verdicts(), features, quarantine));
  }

  private static Instant startOf(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
