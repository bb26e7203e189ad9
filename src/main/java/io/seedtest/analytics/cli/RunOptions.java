package io.seedtest.analytics.cli;

import picocli.CommandLine.Option;

/** Whether a job run writes, and whether it tolerates any quarantined input (a mixin). */
final class RunOptions {
  @Option(names = "--dry-run", description = "Compute and report, write nothing (no results, no ledger row).")
  boolean dryRun;

  @Option(names = "--strict", description = "Fail the run (writing nothing) if any input row is quarantined.")
  boolean strict;

  /** The flags as recorded in job_runs. */
  String describe() {
    return (dryRun ? " --dry-run" : "") + (strict ? " --strict" : "");
  }
}
