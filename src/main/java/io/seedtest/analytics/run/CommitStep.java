package io.seedtest.analytics.run;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A statement a run executes inside its PostgreSQL commit transaction, after its outputs are merged
 * and before its job_runs row is finished. Declared here rather than by the writer so that a job can
 * hand one over ({@code JobResult.DirectWrites}) without knowing which writer runs it.
 */
@FunctionalInterface
public interface CommitStep {
  void apply(Connection c) throws SQLException;
}
