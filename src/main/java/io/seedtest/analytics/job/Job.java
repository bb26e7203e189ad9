package io.seedtest.analytics.job;

/**
 * A batch job: read its window, transform, publish. Implementations read like a recipe; the
 * {@link JobRunner} around them owns locking, the job_runs ledger and error reporting.
 */
public interface Job {
  /** The job's name as the CLI, the ledger and the lock know it, e.g. {@code aggregate-features-daily}. */
  String name();

  JobResult run(RunContext ctx);

  /** What the last run has to show a person beyond its summary line (printed on --dry-run); none by default. */
  default String report() {
    return "";
  }
}
