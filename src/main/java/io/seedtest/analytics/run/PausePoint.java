package io.seedtest.analytics.run;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Named points of a run where the kill tests stop the process (bench-kills, RunKillTest). With
 * the test-only environment variable {@value #ENV} set to a stage's name, the first thread that
 * reaches that stage prints {@code SEEDTEST-PAUSED-AT <stage>} on stdout and waits there, so the
 * parent process can SIGKILL the JVM at exactly that point. Production never sets the variable;
 * unset, {@link #reached} is one map lookup. The wait ends after {@link #MAX_WAIT_MS} with an
 * exception, so an orphaned child cannot hang forever.
 */
public final class PausePoint {
  public static final String ENV = "SEEDTEST_TEST_PAUSE_AT";
  public static final String MARKER = "SEEDTEST-PAUSED-AT ";
  static final long MAX_WAIT_MS = 300_000;

  /** The stages, in the order a run passes them. */
  public enum Stage {
    /** the job has read and computed its window, nothing is written yet */
    READ("read"),
    /** a Spark task is in the middle of its COPY into a staging table */
    STAGING_COPY("staging-copy"),
    /** the merges and the job_runs update are done inside the transaction, not committed */
    MERGE_TRANSACTION("merge-transaction"),
    /** PostgreSQL is committed, the first lake table is merged, the others are not */
    LAKE_MERGE("lake-merge"),
    /** everything is merged; the lake's job_runs record is not yet appended */
    LEDGER_UPDATE("ledger-update");

    private final String label;

    Stage(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private static final AtomicBoolean PAUSED = new AtomicBoolean();

  private PausePoint() {}

  public static void reached(Stage stage) {
    String at = System.getenv(ENV);
    if (at == null || !at.equals(stage.label) || !PAUSED.compareAndSet(false, true)) {
      return;
    }
    System.out.println(MARKER + stage.label);
    System.out.flush();
    try {
      Thread.sleep(MAX_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("paused at " + stage.label + " for " + MAX_WAIT_MS + " ms and nobody killed the process");
  }
}
