package io.seedtest.analytics.run;

import java.time.Instant;
import java.util.UUID;

/** One row of job_runs: what ran, over which window, with which arguments, and how it ended. */
public record RunRecord(UUID runId, String job, DateWindow window, String args, Instant startedAt,
    Instant finishedAt, Status status, long rowsRead, long rowsWritten, long rowsQuarantined, String message) {

  public enum Status { RUNNING, SUCCEEDED, FAILED, DRY_RUN, ABANDONED;
    public String sql() {
      return name().toLowerCase();
    }
  }

  public static RunRecord started(UUID runId, String job, DateWindow window, String args) {
    return new RunRecord(runId, job, window, args, Instant.now(), null, Status.RUNNING, 0, 0, 0, null);
  }

  public RunRecord finished(Status status, JobOutcome outcome, String message) {
    return new RunRecord(runId, job, window, args, startedAt, Instant.now(), status,
        outcome == null ? 0 : outcome.rowsRead(), outcome == null ? 0 : outcome.rowsWritten(),
        outcome == null ? 0 : outcome.rowsQuarantined(), message);
  }
}
