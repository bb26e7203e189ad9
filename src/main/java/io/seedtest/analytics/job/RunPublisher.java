package io.seedtest.analytics.job;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.io.DeltaMerge;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.io.PgUpsertWriter;
import io.seedtest.analytics.io.Quarantine;
import io.seedtest.analytics.io.RunLedger;
import io.seedtest.analytics.run.CommitStep;
import io.seedtest.analytics.run.PausePoint;
import io.seedtest.analytics.run.RunRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run: with PostgreSQL, every output and the quarantine rows are staged and then
 * merged in one transaction together with the job_runs update; then, unless lake writes are off
 * ({@code SEEDTEST_LAKE_WRITES}), the same outputs are merged into the lake. Embedded mode writes
 * the lake only. A dry run never reaches this class.
 */
public final class RunPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(RunPublisher.class);

  private final RunContext ctx;
  private final RunLedger ledger;

  public RunPublisher(RunContext ctx, RunLedger ledger) {
    this.ctx = ctx;
    this.ledger = ledger;
  }

  public Optional<Duration> publish(List<Output> outputs, Dataset<Row> quarantine, RunRecord finished) {
    return publish(outputs, quarantine, finished, List.of());
  }

  /**
   * As {@link #publish(List, Dataset, RunRecord)}, running {@code directSteps} in the PostgreSQL
   * commit transaction after the merges and before the ledger update (ignored without PostgreSQL).
   *
   * @return the time spent writing the lake, empty when lake writes are off
   */
  public Optional<Duration> publish(List<Output> outputs, Dataset<Row> quarantine, RunRecord finished,
      List<? extends CommitStep> directSteps) {
    Optional<DatabaseUrl> db = ctx.settings().database();
    List<Output> all = new ArrayList<>(outputs);
    all.add(new Output(Quarantine.SPEC, quarantine, null));
    if (db.isPresent()) {
      long t0 = System.nanoTime();
      PgUpsertWriter writer = new PgUpsertWriter(db.get(), ctx.runId(), ctx.settings().publishTimeouts());
      List<PgUpsertWriter.Staged> staged = new ArrayList<>();
      try {
        for (Output o : all) {
          staged.add(writer.stage(o.spec(), o.rows(), o.scope()));
        }
        ctx.hooks().afterStaging();
        List<CommitStep> steps = new ArrayList<>(directSteps);
        steps.add(c -> RunLedger.finish(c, finished));
        List<Long> changed = writer.commit(staged, steps);
        LOG.info("postgres: committed {} in {} ms (rows changed per table: {})",
            all.stream().map(o -> o.spec().table()).toList(), (System.nanoTime() - t0) / 1_000_000, changed);
      } catch (RuntimeException e) {
        writer.discard(staged);
        throw e;
      }
      ctx.hooks().afterDatabaseCommit();
    }
    if (!ctx.settings().lakeWrites()) {
      return Optional.empty();
    }
    long t1 = System.nanoTime();
    Lake lake = ctx.lake();
    for (Output o : all) {
      DeltaMerge.merge(ctx.spark(), lake, o.spec(), o.rows(), o.scope());
      PausePoint.reached(PausePoint.Stage.LAKE_MERGE);
    }
    PausePoint.reached(PausePoint.Stage.LEDGER_UPDATE);
    ledger.appendToLake(ctx.spark(), finished);
    Duration lakeTime = Duration.ofNanos(System.nanoTime() - t1);
    LOG.info("lake: merged {} into {} in {} ms", all.stream().map(o -> o.spec().table()).toList(), lake,
        lakeTime.toMillis());
    return Optional.of(lakeTime);
  }
}
