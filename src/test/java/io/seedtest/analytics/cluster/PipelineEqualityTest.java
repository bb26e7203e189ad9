package io.seedtest.analytics.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cluster stage's comparer on two hand-made schemas: what it ignores, tolerates and catches. */
@Tag("postgres")
class PipelineEqualityTest {
  private static DatabaseUrl cluster;
  private static DatabaseUrl local;

  @BeforeAll
  static void schemas() {
    cluster = TestDatabase.empty("eq_cluster");
    local = TestDatabase.empty("eq_local");
    for (DatabaseUrl db : List.of(cluster, local)) {
      TestDatabase.execute(db, "CREATE TABLE same (k BIGINT, label TEXT, x DOUBLE PRECISION, run_id UUID)");
      TestDatabase.execute(db, "CREATE TABLE drift (k BIGINT, x DOUBLE PRECISION)");
      TestDatabase.execute(db, "CREATE TABLE labels (k BIGINT, label TEXT)");
      TestDatabase.execute(db, "CREATE TABLE job_runs (run_id UUID, job TEXT)");
    }
    // the same results, written by other runs, floating values 1e-12 apart
    TestDatabase.execute(cluster, "INSERT INTO same VALUES (1, 'a', 0.5, gen_random_uuid()), (2, NULL, 'NaN', NULL)");
    TestDatabase.execute(local, "INSERT INTO same VALUES (2, NULL, 'NaN', gen_random_uuid()), (1, 'a', 0.5 + 1e-12, NULL)");
    TestDatabase.execute(cluster, "INSERT INTO drift VALUES (1, 0.5)");
    TestDatabase.execute(local, "INSERT INTO drift VALUES (1, 0.500001)");
    TestDatabase.execute(cluster, "INSERT INTO labels VALUES (1, 'a'), (2, 'b')");
    TestDatabase.execute(local, "INSERT INTO labels VALUES (1, 'a'), (2, 'c')");
    TestDatabase.execute(cluster, "INSERT INTO job_runs VALUES (gen_random_uuid(), 'x')");
  }

  @AfterAll
  static void drop() {
    TestDatabase.drop(cluster);
    TestDatabase.drop(local);
  }

  @Test
  void ignoresRunColumnsToleratesRoundingAndCatchesRealDifferences() throws Exception {
    List<PipelineEquality.TableDiff> diffs;
    try (Connection a = cluster.connect(); Connection b = local.connect()) {
      diffs = PipelineEquality.compare(a, b);
    }
    assertThat(diffs).extracting(PipelineEquality.TableDiff::table).containsExactly("drift", "labels", "same");
    assertThat(diffs.get(2).equal()).isTrue();
    assertThat(diffs.get(2).maxAbsDiff()).isLessThan(1e-11);
    assertThat(diffs.get(0).equal()).isFalse();
    assertThat(diffs.get(0).maxAbsDiff()).isCloseTo(1e-6, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(diffs.get(1).equal()).isFalse();
    assertThat(diffs.get(1).differingRows()).isEqualTo(1);
    assertThat(diffs.get(1).checksumCluster()).isNotEqualTo(diffs.get(1).checksumLocal());
  }
}
