package io.seedtest.analytics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.SeedtestException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportStorageTest {
  private static Settings lake(String lake) {
    return Settings.load(Map.of(), null, lake);
  }

  @Test
  void defaultsBesideTheLake() {
    assertThat(ReportStorage.load(Map.of(), lake("/data/lake"), null).url()).isEqualTo("/data/lake/reports");
    ReportStorage s3 = ReportStorage.load(Map.of(), lake("s3a://seedtest-lake/analytics"), null);
    assertThat(s3.s3()).isTrue();
    assertThat(s3.bucket()).isEqualTo("seedtest-lake");
    assertThat(s3.prefix()).isEqualTo("analytics/reports");
  }

  @Test
  void environmentAndFlag() {
    Map<String, String> env = Map.of(ReportStorage.REPORTS_URL, "s3://reports/weekly/", ReportStorage.S3_ENDPOINT,
        "http://minio:9000", ReportStorage.PATH_STYLE, "true", ReportStorage.ACCESS_KEY_ID, "AKIAEXAMPLE",
        ReportStorage.SECRET_ACCESS_KEY, "very-secret");
    ReportStorage s = ReportStorage.load(env, lake("/l"), null);
    assertThat(s.bucket()).isEqualTo("reports");
    assertThat(s.prefix()).isEqualTo("weekly");
    assertThat(s.pathStyle()).isTrue();
    assertThat(s.region()).isEqualTo("us-east-1");
    assertThat(s.toString()).contains("AKIA…").doesNotContain("very-secret").doesNotContain("AKIAEXAMPLE");
    assertThat(ReportStorage.load(env, lake("/l"), "/tmp/r").url()).isEqualTo("/tmp/r");
  }

  @Test
  void badValuesFailOnOneLine() {
    assertThatThrownBy(() -> ReportStorage.load(Map.of(ReportStorage.S3_ENDPOINT, "minio:9000"), lake("/l"), null))
        .isInstanceOf(SeedtestException.class).hasMessageContaining(ReportStorage.S3_ENDPOINT);
    assertThatThrownBy(() -> ReportStorage.load(Map.of(ReportStorage.SECRET_ACCESS_KEY, "s3cr3t"), lake("/l"), null))
        .isInstanceOf(SeedtestException.class).hasMessageContaining(ReportStorage.ACCESS_KEY_ID)
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> ReportStorage.load(Map.of(ReportStorage.REPORTS_URL, "s3://Bad_Bucket/x"), lake("/l"),
        null)).isInstanceOf(SeedtestException.class).hasMessageContaining(ReportStorage.REPORTS_URL);
  }
}
