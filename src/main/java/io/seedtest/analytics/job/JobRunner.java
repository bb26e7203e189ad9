package io.seedtest.analytics.job;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.io.RunLedger;
import io.seedtest.analytics.io.RunLock;
import io.seedtest.analytics.io.RunPublisher;
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
    String window = ctx.window() == null ? "-" : ctx.window().toString();
    LOG.info("{} {}: run {} started (source: {}, lake: {}{}{})", job.name(), window, ctx.runId(),
        ctx.settings().database().map(Object::toString).orElse("embedded lake"), ctx.settings().lake(),
        ctx.dryRun() ? ", dry run" : "", ctx.strict() ? ", strict" : "");
    RunLedger ledger = new RunLedger(ctx.settings().database(), ctx.lake());
    RunRecord record = RunRecord.started(ctx.runId(), job.name(), ctx.window(), ctx.args());
    try (RunLock lock = RunLock.acquire(ctx.settings().database(), ctx.settings().lake(), job.name(), window)) {
      if (!ctx.dryRun()) {
        ledger.started(record);
      }
      JobOutcome outcome = null;
      JobResult result = null;
      try {
        result = job.run(ctx);
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
        if (ctx.dryRun()) {
          LOG.info("{} {}: dry run, nothing written: {}", job.name(), window, result.summary());
        } else {
          lakeCost = new RunPublisher(ctx, ledger).publish(result.outputs(), result.quarantine(),
                  record.finished(RunRecord.Status.SUCCEEDED, outcome, result.summary()), result.direct().steps())
              .map(d -> String.format("lake %.1f s", d.toNanos() / 1e9)).orElse("lake writes off");
        }
        LOG.info("{} {}: {} in {} s ({}) — read {}, wrote {}, quarantined {}: {}", job.name(), window,
            ctx.dryRun() ? "dry run done" : "succeeded", String.format("%.1f", (System.nanoTime() - t0) / 1e9),
            lakeCost, outcome.rowsRead(), outcome.rowsWritten(), outcome.rowsQuarantined(), result.summary());
        return outcome;
      } catch (RuntimeException e) {
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

  static String oneLine(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SeedtestException) {
        return t.getMessage();
      }
    }
    String m = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
