package io.seedtest.analytics.job;

import io.seedtest.analytics.io.Output;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a job computed, not yet written: its output tables, the rows it quarantined (schema of
 * {@link io.seedtest.analytics.io.Quarantine#SCHEMA}), how many input rows of its window it read,
 * a line for the log, and the Datasets it persisted (released by the runner after publishing).
 * Outputs should be persisted by the job: the runner counts them and writes them twice
 * (PostgreSQL and lake).
 */
public record JobResult(List<Output> outputs, Dataset<Row> quarantine, long rowsRead, String summary,
    List<Dataset<Row>> persisted) {

  public void release() {
    persisted.forEach(Dataset::unpersist);
  }
}
