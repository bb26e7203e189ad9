package io.seedtest.analytics.job;

import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.run.CommitStep;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a job computed, not yet written: its output tables, the rows it quarantined (schema of
 * {@link io.seedtest.analytics.io.Quarantine#SCHEMA}), how many input rows of its window it read,
 * a line for the log, and the Datasets it persisted (released by the runner after publishing).
 * Outputs should be persisted by the job: the runner counts them and writes them twice
 * (PostgreSQL and lake).
 *
 * <p>{@code direct}: statements a job runs itself inside the publishing transaction (PostgreSQL
 * only), for writes that are not a plain upsert of rows (e.g. update-abilities, which must check
 * concurrent writers and advance its watermark atomically with the results); none by default.
 */
public record JobResult(List<Output> outputs, Dataset<Row> quarantine, long rowsRead, String summary,
    List<Dataset<Row>> persisted, DirectWrites direct) {

  public JobResult(List<Output> outputs, Dataset<Row> quarantine, long rowsRead, String summary,
      List<Dataset<Row>> persisted) {
    this(outputs, quarantine, rowsRead, summary, persisted, DirectWrites.NONE);
  }

  /**
   * Statements run in the commit transaction after the outputs are merged and before job_runs is
   * finished, and the rows they write (counted as rows written in the ledger).
   */
  public record DirectWrites(List<CommitStep> steps, long rows) {
    public static final DirectWrites NONE = new DirectWrites(List.of(), 0);
  }

  public void release() {
    persisted.forEach(Dataset::unpersist);
  }
}
