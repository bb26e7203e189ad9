package io.seedtest.analytics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.SeedtestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @Test
  void defaultsAreTheMissionsAndEmbeddedWithoutADatabase() {
    Settings s = Settings.load(Map.of(), null, null);

    assertThat(s.embedded()).isTrue();
    assertThat(s.kpiLookbackDays()).isEqualTo(30);
    assertThat(s.defaultTarget()).isEqualTo(0.0);
    assertThat(s.useBayesian()).isFalse();
    assertThat(s.lake()).isEqualTo(Path.of("lake").toAbsolutePath().toString());
    assertThat(s.localLake()).isTrue();
  }

  @Test
  void flagsOverrideTheEnvironment() {
    Settings s = Settings.load(Map.of("DATABASE_URL", "postgresql://a@envhost/db", "SEEDTEST_LAKE", "/tmp/envlake",
        "KPI_LOOKBACK_DAYS", "14", "METRICS_DEFAULT_TARGET", "0.5", "METRICS_USE_BAYESIAN", "true"),
        "postgresql://b@flaghost/db", "/tmp/flaglake");

    assertThat(s.database()).get().extracting(DatabaseUrl::host).isEqualTo("flaghost");
    assertThat(s.lake()).isEqualTo("/tmp/flaglake");
    assertThat(s.kpiLookbackDays()).isEqualTo(14);
    assertThat(s.defaultTarget()).isEqualTo(0.5);
    assertThat(s.useBayesian()).isTrue();
  }

  @Test
  void theChurnGateMarginIsASmallAucDifference() {
    assertThat(Settings.load(Map.of(), null, null).churnMinAucGain()).isEqualTo(0.005);
    assertThat(Settings.load(Map.of("SEEDTEST_CHURN_MIN_AUC_GAIN", "0.02"), null, null).churnMinAucGain())
        .isEqualTo(0.02);
    assertThat(Settings.load(Map.of(), null, null).withChurnMinAucGain(0.0).churnMinAucGain()).isZero();
    for (String bad : new String[] {"-0.01", "0.6", "NaN", "two"}) {
      assertThatThrownBy(() -> Settings.load(Map.of("SEEDTEST_CHURN_MIN_AUC_GAIN", bad), null, null))
          .isInstanceOf(SeedtestException.class)
          .hasMessageStartingWith("Setting SEEDTEST_CHURN_MIN_AUC_GAIN='" + bad + "' is invalid: expected an AUC margin");
    }
  }

  @Test
  void theQuarantineThresholdIsAShareOrAPercentage() {
    assertThat(Settings.load(Map.of(), null, null).maxQuarantineShare()).isEqualTo(0.05);
    assertThat(Settings.load(Map.of("SEEDTEST_MAX_QUARANTINE_SHARE", "0.2"), null, null).maxQuarantineShare())
        .isEqualTo(0.2);
    assertThat(Settings.load(Map.of("SEEDTEST_MAX_QUARANTINE_SHARE", "12.5%"), null, null).maxQuarantineShare())
        .isEqualTo(0.125);
    for (String bad : new String[] {"5", "-1%", "NaN", "half"}) {
      assertThatThrownBy(() -> Settings.load(Map.of("SEEDTEST_MAX_QUARANTINE_SHARE", bad), null, null))
          .isInstanceOf(SeedtestException.class)
          .hasMessage("Setting SEEDTEST_MAX_QUARANTINE_SHARE='" + bad + "' is invalid: expected a share from 0 to 1"
              + " such as 0.05, or a percentage such as 5%. Fix the environment variable or the flag and run again.");
    }
  }

  @Test
  void anObjectStoreLakeStaysAUri() {
    Settings s = Settings.load(Map.of("SEEDTEST_LAKE", "s3a://seedtest-lake/analytics"), null, null);

    assertThat(s.lake()).isEqualTo("s3a://seedtest-lake/analytics");
    assertThat(s.localLake()).isFalse();
  }

  @Test
  void lakeWritesAreOnByDefaultAndOptionalOnlyWithADatabase() {
    assertThat(Settings.load(Map.of(), null, null).lakeWrites()).isTrue();
    Settings off = Settings.load(Map.of("DATABASE_URL", "postgresql://a@h/db", "SEEDTEST_LAKE_WRITES", "false"),
        null, null);
    assertThat(off.lakeWrites()).isFalse();
    assertThat(Settings.load(Map.of("DATABASE_URL", "postgresql://a@h/db", "SEEDTEST_LAKE_WRITES", "false"),
        null, null, true).lakeWrites()).as("the flag wins").isTrue();

    assertThatThrownBy(() -> Settings.load(Map.of("SEEDTEST_LAKE_WRITES", "false"), null, null))
        .isInstanceOf(SeedtestException.class)
        .hasMessageContaining("SEEDTEST_LAKE_WRITES='false'")
        .hasMessageContaining("embedded mode stores its results only in the lake");
    assertThatThrownBy(() -> Settings.load(Map.of(), null, null, false))
        .hasMessageContaining("without DATABASE_URL");
  }

  @Test
  void aTargetThatIsNotANumberIsOneClearLine() {
    assertThatThrownBy(() -> Settings.load(Map.of("METRICS_DEFAULT_TARGET", "high"), null, null))
        .isInstanceOf(SeedtestException.class)
        .hasMessage("Setting METRICS_DEFAULT_TARGET='high' is invalid: expected a finite number such as 0.5."
            + " Fix the environment variable or the flag and run again.");
    assertThatThrownBy(() -> Settings.load(Map.of("KPI_LOOKBACK_DAYS", "-3"), null, null))
        .hasMessageContaining("KPI_LOOKBACK_DAYS='-3'");
    assertThatThrownBy(() -> Settings.load(Map.of("METRICS_USE_BAYESIAN", "maybe"), null, null))
        .hasMessageContaining("expected true or false");
  }

  @Test
  void publishTimeoutsDefaultAndParseInPostgresUnits() {
    assertThat(Settings.load(Map.of(), null, null).publishTimeouts()).isEqualTo(PublishTimeouts.DEFAULTS);

    Settings s = Settings.load(Map.of("SEEDTEST_PUBLISH_LOCK_TIMEOUT", "500ms",
        "SEEDTEST_PUBLISH_STATEMENT_TIMEOUT", "2h"), null, null);

    assertThat(s.publishTimeouts().lockTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.publishTimeouts().setLocal())
        .containsExactly("SET LOCAL lock_timeout = 500", "SET LOCAL statement_timeout = 7200000");
    assertThatThrownBy(() -> Settings.load(Map.of("SEEDTEST_PUBLISH_LOCK_TIMEOUT", "30"), null, null))
        .isInstanceOf(SeedtestException.class).hasMessageContaining("500ms, 30s, 10min or 1h");
    assertThatThrownBy(() -> Settings.load(Map.of("SEEDTEST_PUBLISH_STATEMENT_TIMEOUT", "0s"), null, null))
        .hasMessageContaining("SEEDTEST_PUBLISH_STATEMENT_TIMEOUT='0s'");
  }

  @Test
  void theDatabaseUrlCanComeFromASecretFile(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("database-url");
    Files.writeString(secret, "postgresql://a:pw@filehost/db\n");

    Settings s = Settings.load(Map.of("DATABASE_URL_FILE", secret.toString()), null, null);

    assertThat(s.database()).get().extracting(DatabaseUrl::host).isEqualTo("filehost");
    assertThatThrownBy(() -> Settings.load(Map.of("DATABASE_URL_FILE", dir.resolve("missing").toString()), null, null))
        .isInstanceOf(SeedtestException.class).hasMessageContaining("DATABASE_URL_FILE");
  }

  @Test
  void theAbilityDriftIsOneSettingForTheBatchJobAndTheEndpoint() {
    assertThat(Settings.load(Map.of(), null, null).irtDriftPerDay()).isEmpty();
    Settings set = Settings.load(Map.of(Settings.IRT_DRIFT_PER_DAY, "0.004"), null, null);
    assertThat(set.irtDriftPerDay()).hasValue(0.004);
    assertThat(io.seedtest.analytics.serve.ServeSettings.load(Map.of(), set).driftPerDay()).isEqualTo(0.004);
    assertThat(set.withIrtDriftPerDay(0.01).irtDriftPerDay()).hasValue(0.01);
    assertThatThrownBy(() -> Settings.load(Map.of(Settings.IRT_DRIFT_PER_DAY, "-1"), null, null))
        .isInstanceOf(SeedtestException.class).hasMessageContaining(Settings.IRT_DRIFT_PER_DAY);
    assertThatThrownBy(() -> set.withIrtDriftPerDay(Double.NaN))
        .isInstanceOf(SeedtestException.class).hasMessageContaining("--drift-per-day");
  }

  @Test
  void theLocalSparkSessionsSettingsComeFromTheSameMap() {
    assertThat(SparkSettings.load(Map.of())).isEqualTo(new SparkSettings("local[*]", false, 8));
    assertThat(SparkSettings.load(Map.of(SparkSettings.MASTER, "local[2]", SparkSettings.UI, "true",
        SparkSettings.SHUFFLE_PARTITIONS, "4"))).isEqualTo(new SparkSettings("local[2]", true, 4));
    assertThatThrownBy(() -> SparkSettings.load(Map.of(SparkSettings.SHUFFLE_PARTITIONS, "many")))
        .isInstanceOf(SeedtestException.class).hasMessageContaining(SparkSettings.SHUFFLE_PARTITIONS);
  }
}
