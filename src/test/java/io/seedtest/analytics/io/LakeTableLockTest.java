package io.seedtest.analytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers of one lake table take turns (RunLock.lakeTable), with PostgreSQL and without. */
@Tag("postgres")
class LakeTableLockTest {
  @TempDir
  Path lake;

  void aSecondWriterWaitsForTheFirstAndGivesUpWithAClearLine(Optional<DatabaseUrl> db) throws Exception {
    String root = db.isPresent() ? "s3a://seedtest-lake/" + lake.getFileName() : lake.toString();
    RunLock first = RunLock.lakeTable(db, root, "job_runs", Duration.ofSeconds(5));
    CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> {
      long t0 = System.nanoTime();
      try (RunLock turn = RunLock.lakeTable(db, root, "job_runs", Duration.ofMinutes(1))) {
        return System.nanoTime() - t0;
      }
    });
    Thread.sleep(500);
    assertThat(second).as("the second writer waits while the first holds the table").isNotDone();
    try (RunLock other = RunLock.lakeTable(db, root, "quarantine", Duration.ofSeconds(5))) {
      assertThat(other).as("another table is not blocked").isNotNull();
    }
    first.close();
    assertThat(second.get(30, TimeUnit.SECONDS)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(400));

    try (RunLock held = RunLock.lakeTable(db, root, "weekly_kpi", Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> CompletableFuture.supplyAsync(
              () -> RunLock.lakeTable(db, root, "weekly_kpi", Duration.ofMillis(300))).join())
          .hasCauseInstanceOf(SeedtestException.class)
          .cause().hasMessageStartingWith("The lake table weekly_kpi stayed locked by another writer")
          .satisfies(e -> assertThat(((SeedtestException) e).exitCode()).isEqualTo(Errors.LOCKED));
    }
  }

  @Test
  void withPostgresqlAdvisoryLocks() throws Exception {
    DatabaseUrl db = TestDatabase.empty("lakelock");
    try {
      aSecondWriterWaitsForTheFirstAndGivesUpWithAClearLine(Optional.of(db));
    } finally {
      TestDatabase.drop(db);
    }
  }

  @Test
  void withFileLocksInEmbeddedMode() throws Exception {
    aSecondWriterWaitsForTheFirstAndGivesUpWithAClearLine(Optional.empty());
  }
}
