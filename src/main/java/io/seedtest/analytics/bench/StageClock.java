package io.seedtest.analytics.bench;

import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;

/**
 * Timestamps of one job run through {@link io.seedtest.analytics.job.JobRunner}, taken without
 * touching the runner: the job is wrapped (its return ends "compute"), and the publish hooks
 * mark the end of PostgreSQL staging and of the merge transaction; what follows the commit is the
 * lake MERGE (plus the ledger append to the lake and unpersisting).
 */
final class StageClock implements RunContext.PublishHooks {
  long started;
  long computed;
  long staged;
  long committed;
  long finished;

  Job wrap(Job job) {
    return new Job() {
      @Override
      public String name() {
        return job.name();
      }

      @Override
      public JobResult run(RunContext ctx) {
        JobResult r = job.run(ctx);
        computed = System.nanoTime();
        return r;
      }
    };
  }

  void start() {
    started = System.nanoTime();
  }

  void finish() {
    finished = System.nanoTime();
  }

  @Override
  public void afterStaging() {
    staged = System.nanoTime();
  }

  @Override
  public void afterDatabaseCommit() {
    committed = System.nanoTime();
  }

  double total() {
    return sec(started, finished);
  }

  /** JDBC read + validation + aggregation (the job's own counts materialise everything). */
  double compute() {
    return sec(started, computed);
  }

  /** The runner's counts on the persisted results, staging tables, COPY of every partition. */
  double staging() {
    return sec(computed, staged);
  }

  /** One transaction: dedup, INSERT … ON CONFLICT, scope delete, quarantine, job_runs. */
  double merge() {
    return sec(staged, committed);
  }

  /** Delta MERGE of the outputs and the quarantine, job_runs append, unpersist. */
  double lake() {
    return sec(committed, finished);
  }

  private static double sec(long a, long b) {
    return a == 0 || b == 0 ? Double.NaN : (b - a) / 1e9;
  }
}
