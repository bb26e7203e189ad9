package io.seedtest.analytics.job;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.io.PgUpsertWriter;
import io.seedtest.analytics.io.RunLedger;
import io.seedtest.analytics.io.RunLock;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.run.PausePoint;
import io.seedtest.analytics.run.RunRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Job} the same way every time: take the lock for job + window, record the run,
 * let the job compute, enforce --strict, publish (unless --dry-run), record the outcome, and log
 * one summary line. Jobs therefore contain only their recipe.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private JobRunner() {}

  public static JobOutcome run(Job job, RunContext ctx) {
    long t0 = System.nanoTime();
    String window = RunLock.windowName(ctx.window());
    LOG.info("{} {}: run {} started (source: {}, lake: {}{}{})", job.name(), window, ctx.runId(),
        ctx.settings().database().map(Object::toString).orElse("embedded lake"), ctx.settings().lake(),
        ctx.dryRun() ? ", dry run" : "", ctx.strict() ? ", strict" : "");
    RunLedger ledger = new RunLedger(ctx.settings().database(), ctx.lake());
    RunRecord record = RunRecord.started(ctx.runId(), job.name(), ctx.window(), ctx.args());
    try (RunLock lock = RunLock.acquire(ctx.settings().database(), ctx.settings().lake(), job.name(), window)) {
      if (!ctx.dryRun()) {
        recoverDeadRuns(job, ctx, ledger);
        ledger.started(record);
      }
      JobOutcome outcome = null;
      JobResult result = null;
      try {
        result = job.run(ctx);
        PausePoint.reached(PausePoint.Stage.READ);
        List<Row> reasons = result.quarantine().groupBy("reason").count().orderBy("reason").collectAsList();
        long quarantined = reasons.stream().mapToLong(r -> r.getLong(1)).sum();
        String reasonText = reasons.stream().map(r -> r.getString(0) + "=" + r.getLong(1))
            .collect(Collectors.joining(", "));
        if (quarantined > 0) {
          LOG.warn("{} {}: quarantined {} rows ({})", job.name(), window, quarantined, reasonText);
        }
        long written = result.direct().rows();
        for (Output o : result.outputs()) {
          written += o.rows().count();
        }
        outcome = new JobOutcome(result.rowsRead(), written, quarantined, result.summary());
        if (ctx.strict() && quarantined > 0) {
          throw Errors.strictQuarantine(job.name(), quarantined, reasonText);
        }
        String lakeCost = "lake not written";
        if (!ctx.dryRun()) {
          lakeCost = new RunPublisher(ctx, ledger).publish(result.outputs(), result.quarantine(),
                  record.finished(RunRecord.Status.SUCCEEDED, outcome, result.summary()), result.direct().steps())
              .map(d -> String.format("lake %.1f s", d.toNanos() / 1e9)).orElse("lake writes off");
        }
        LOG.info("{} {}: {} in {} s ({}) — {}: {}", job.name(), window,
            ctx.dryRun() ? "dry run done" : "succeeded", String.format("%.1f", (System.nanoTime() - t0) / 1e9),
            lakeCost, counts(outcome, ctx.dryRun()), result.summary());
        return outcome;
      } catch (Throwable e) {
        // every failure ends the row, Errors too (OutOfMemoryError, a Spark task's linkage error)
        if (!ctx.dryRun()) {
          RunRecord failed = record.finished(RunRecord.Status.FAILED, outcome, oneLine(e));
          ledger.failed(failed);
        }
        throw e;
      } finally {
        if (result != null) {
          result.release();
        }
      }
    }
  }

  /**
   * The counts of the closing line, the one place every job's summary gets them: a dry run
   * computed what it would write and wrote nothing, and says exactly that (not "wrote 71").
   */
  static String counts(JobOutcome outcome, boolean dryRun) {
    return dryRun
        ? String.format("read %d, would write %d and quarantine %d, wrote nothing (dry run)", outcome.rowsRead(),
            outcome.rowsWritten(), outcome.rowsQuarantined())
        : String.format("read %d, wrote %d, quarantined %d", outcome.rowsRead(), outcome.rowsWritten(),
            outcome.rowsQuarantined());
  }

  /**
   * With PostgreSQL, before this run's row is written: marks the job's dead runs 'abandoned' and
   * drops the staging tables dead runs left behind (the lock of this job and window is held).
   */
  private static void recoverDeadRuns(Job job, RunContext ctx, RunLedger ledger) {
    if (ctx.settings().database().isEmpty()) {
      return;
    }
    List<java.util.UUID> dead = ledger.abandonDeadRuns(job.name(), ctx.window(), ctx.runId());
    List<String> dropped = PgUpsertWriter.dropOrphans(ctx.settings().database().get(), ctx.settings().publishTimeouts());
    if (!dead.isEmpty() || !dropped.isEmpty()) {
      LOG.warn("{}: marked {} dead run(s) abandoned {}; dropped {} orphan staging table(s) {}", job.name(),
          dead.size(), dead, dropped.size(), dropped);
    }
  }

  /** The reason recorded in job_runs: one line, credentials masked. */
  static String oneLine(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SeedtestException) {
        return t.getMessage();
      }
    }
    String m = e.getMessage() == null ? "" : ": " + Errors.firstLine(e.getMessage());
    return e.getClass().getName() + m;
  }
}
