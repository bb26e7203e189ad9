package io.seedtest.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.run.JobOutcome;
import org.junit.jupiter.api.Test;

/** The counts of every job's closing line: a dry run never claims to have written anything. */
class ClosingLineCountsTest {
  @Test
  void aDryRunSaysWhatItWouldWriteAndThatItWroteNothing() {
    String line = JobRunner.counts(new JobOutcome(1_204, 71, 3, "s"), true);
    assertThat(line).isEqualTo("read 1204, would write 71 and quarantine 3, wrote nothing (dry run)");
    assertThat(line).doesNotContain("wrote 71").doesNotContain("quarantined 3");
  }

  @Test
  void aRealRunSaysWhatItWrote() {
    assertThat(JobRunner.counts(new JobOutcome(1_204, 71, 3, "s"), false))
        .isEqualTo("read 1204, wrote 71, quarantined 3");
  }
}
