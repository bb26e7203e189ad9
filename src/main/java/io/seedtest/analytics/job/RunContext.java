package io.seedtest.analytics.job;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.run.DateWindow;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * Everything a run knows about itself. {@code hooks} lets tests inject failures between the
 * phases of publishing without touching the job.
 */
public record RunContext(UUID runId, String job, DateWindow window, boolean dryRun, boolean strict,
    String args, Settings settings, SparkSession spark, PublishHooks hooks) {

  public Lake lake() {
    return new Lake(settings.lake(), settings.database());
  }

  /** Points where tests inject faults; production uses {@link #NONE}. */
  public interface PublishHooks {
    /** Called after all outputs are staged and before the commit transaction. */
    default void afterStaging() {}

    /** Called after the PostgreSQL commit and before the lake is written. */
    default void afterDatabaseCommit() {}
  }

  public static final PublishHooks NONE = new PublishHooks() {};
}
