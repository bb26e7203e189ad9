package io.seedtest.analytics.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the operational files honest: launch scripts parse, the one list of JVM flags matches
 * the pom's, settings files agree with each other and hold no credentials, the Kubernetes
 * manifests name the same namespace/objects, and the job launcher expands date ranges right.
 */
class OpsFilesTest {

  static List<Path> scripts() {
    List<Path> all = new ArrayList<>(List.of(
        ProjectDir.resolve("bin/seedtest"), ProjectDir.resolve("bin/test"), ProjectDir.resolve(".ci/run"),
        ProjectDir.resolve("k8s/seedtest-in-pod.sh"), ProjectDir.resolve("bin/cluster-stage"),
        ProjectDir.resolve("src/test/cluster/spark-home/bin/spark-class"),
        ProjectDir.resolve("src/test/cluster/spark-home/bin/spark-submit")));
    all.addAll(ProjectDir.filesEndingWith("jobs", ".sh"));
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void scriptParsesAndIsExecutable(Path script) throws Exception {
    assertThat(script).exists();
    Result r = run(List.of("bash", "-n", script.toString()), Map.of());
    assertThat(r.exit).as("bash -n %s: %s", script, r.err).isZero();
    String first = Files.readAllLines(script).get(0);
    if (!script.getFileName().toString().equals("lib.sh")) {
      assertThat(first).as("shebang of %s", script).isEqualTo("#!/usr/bin/env bash");
      assertThat(Files.isExecutable(script)).as("%s is executable", script).isTrue();
    }
  }

  @Test
  void jvmOpensFileMatchesThePom() {
    String pom = ProjectDir.read(ProjectDir.resolve("pom.xml"));
    Matcher m = Pattern.compile("<spark\\.jvm\\.opens>(.*?)</spark\\.jvm\\.opens>", Pattern.DOTALL).matcher(pom);
    assertThat(m.find()).as("pom.xml defines spark.jvm.opens").isTrue();
    List<String> fromPom = Arrays.asList(m.group(1).trim().split("\\s+"));
    List<String> fromFile = ProjectDir.read(ProjectDir.resolve("conf/jvm-opens.txt")).lines()
        .map(l -> l.replaceAll("#.*", "").strip())
        .filter(l -> !l.isEmpty())
        .toList();
    assertThat(fromFile).as("conf/jvm-opens.txt vs pom.xml spark.jvm.opens").isEqualTo(fromPom);
  }

  @Test
  void log4jConfigKeepsOurPackageAtInfoAndSparkAtWarn() {
    Map<String, String> p = properties(ProjectDir.resolve("conf/log4j2.properties"));
    assertThat(p).containsEntry("appender.console.layout.pattern", "%d{HH:mm:ss} %-5p %c{1} - %m%n");
    assertThat(p).containsEntry("rootLogger.level", "warn");
    Map<String, String> levels = new HashMap<>();
    p.forEach((k, v) -> {
      if (k.startsWith("logger.") && k.endsWith(".name")) {
        levels.put(v, p.get(k.substring(0, k.length() - ".name".length()) + ".level"));
      }
    });
    assertThat(levels).containsEntry("io.seedtest", "info")
        .containsEntry("org.apache.spark", "warn")
        .containsEntry("org.apache.hadoop", "warn")
        .containsEntry("io.delta", "warn")
        .containsEntry("org.apache.parquet", "warn")
        .containsEntry("org.eclipse.jetty", "warn");
  }

  @Test
  void environmentFilesDefineTheSettingsWithoutRealPasswords() {
    for (String name : List.of("conf/env/dev.env", "conf/env/prod.env.example")) {
      Map<String, String> env = properties(ProjectDir.resolve(name));
      assertThat(env).as(name)
          .containsKeys("DATABASE_URL", "SEEDTEST_LAKE")
          .containsEntry("KPI_LOOKBACK_DAYS", "30")
          .containsEntry("METRICS_DEFAULT_TARGET", "0.0")
          .containsEntry("METRICS_USE_BAYESIAN", "false");
      assertPlaceholderPassword(name, env.get("DATABASE_URL"));
    }
    JsonNode configMap = SparkOperatorManifestsTest.single(ProjectDir.read(ProjectDir.resolve("k8s/configmap.yaml")));
    JsonNode data = configMap.path("data");
    assertThat(data.path("KPI_LOOKBACK_DAYS").asText()).isEqualTo("30");
    assertThat(data.path("METRICS_DEFAULT_TARGET").asText()).isEqualTo("0.0");
    assertThat(data.path("METRICS_USE_BAYESIAN").asText()).isEqualTo("false");
    assertThat(data.has("DATABASE_URL")).as("DATABASE_URL belongs in the Secret, not the ConfigMap").isFalse();
  }

  @Test
  void secretTemplateHoldsOnlyPlaceholders() {
    JsonNode secret = SparkOperatorManifestsTest.single(ProjectDir.read(ProjectDir.resolve("k8s/secret.example.yaml")));
    assertThat(secret.path("kind").asText()).isEqualTo("Secret");
    assertThat(secret.has("data")).as("use stringData with placeholders, not base64 data").isFalse();
    JsonNode values = secret.path("stringData");
    assertThat(values.has("DATABASE_URL")).isTrue();
    values.fields().forEachRemaining(e ->
        assertThat(e.getValue().asText()).as("k8s/secret.example.yaml %s", e.getKey()).contains("CHANGE_ME"));
    assertPlaceholderPassword("k8s/secret.example.yaml", values.path("DATABASE_URL").asText());
  }

  @Test
  void kubernetesManifestsShareOneNamespaceAndTheDriverRoleCoversWhatSparkCreates() {
    List<Path> files = ProjectDir.filesEndingWith("k8s", ".yaml");
    assertThat(files).isNotEmpty();
    JsonNode role = null;
    for (Path f : files) {
      for (JsonNode doc : SparkOperatorManifestsTest.documents(ProjectDir.read(f))) {
        assertThat(doc.path("apiVersion").asText()).as("%s apiVersion", f.getFileName()).isNotBlank();
        assertThat(doc.path("metadata").path("name").asText()).as("%s metadata.name", f.getFileName()).isNotBlank();
        String kind = doc.path("kind").asText();
        if (kind.equals("Namespace")) {
          assertThat(doc.path("metadata").path("name").asText()).isEqualTo(ManifestPolicy.NAMESPACE);
        } else {
          assertThat(doc.path("metadata").path("namespace").asText()).as("%s %s namespace", f.getFileName(), kind)
              .isEqualTo(ManifestPolicy.NAMESPACE);
        }
        if (kind.equals("Role")) {
          role = doc;
        }
      }
    }
    assertThat(role).as("k8s/ defines the driver's Role").isNotNull();
    List<String> resources = new ArrayList<>();
    List<String> verbs = new ArrayList<>();
    role.path("rules").forEach(rule -> {
      rule.path("resources").forEach(r -> resources.add(r.asText()));
      rule.path("verbs").forEach(v -> verbs.add(v.asText()));
    });
    assertThat(resources).contains("pods", "services", "configmaps");
    assertThat(verbs).contains("create", "get", "list", "watch", "delete");
  }

  @Test
  void dockerfileCopiesOnlyFilesThatExistAndTheBuildContextLetsThrough() {
    String dockerfile = ProjectDir.read(ProjectDir.resolve("k8s/Dockerfile"));
    String ignore = ProjectDir.read(ProjectDir.resolve("k8s/Dockerfile.dockerignore"));
    Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(?:--\\S+ )*(.+) (\\S+)$").matcher(dockerfile);
    int found = 0;
    while (copy.find()) {
      for (String src : copy.group(1).trim().split("\\s+")) {
        found++;
        String path = src.replaceAll("/$", "");
        assertThat(ProjectDir.resolve(path)).as("COPY source %s", src).exists();
        String allowed = path.equals("src/main") ? "!src/main/**" : "!" + path;
        assertThat(ignore.lines().map(String::strip)).as("Dockerfile.dockerignore lets %s through", path)
            .contains(allowed);
      }
    }
    assertThat(found).isGreaterThanOrEqualTo(4);
  }

  @Test
  void launcherExpandsADateRangeDayByDay() throws Exception {
    Path launcher = ProjectDir.resolve("jobs/aggregate-features-daily.sh");
    Map<String, String> env = Map.of("SEEDTEST_DRY_LAUNCH", "1", "SEEDTEST_LAUNCHER", "local");
    Result r = run(List.of("bash", launcher.toString(), "--each-day", "--from", "2024-02-27", "--to=2024-03-01",
        "--dry-run"), env);
    assertThat(r.exit).as(r.err).isZero();
    List<String> lines = r.out.lines().map(String::strip).toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).endsWith("bin/seedtest aggregate-features-daily --date 2024-02-27 --dry-run");
    assertThat(lines.get(2)).endsWith("--date 2024-02-29 --dry-run");
    assertThat(lines.get(3)).endsWith("--date 2024-03-01 --dry-run");

    Result whole = run(List.of("bash", launcher.toString(), "--from", "2024-02-27", "--to", "2024-03-01"), env);
    assertThat(whole.exit).as(whole.err).isZero();
    assertThat(whole.out.strip()).endsWith("aggregate-features-daily --from 2024-02-27 --to 2024-03-01");

    Result bad = run(List.of("bash", launcher.toString(), "--each-day", "--from", "2024-02-30", "--to", "2024-03-01"),
        env);
    assertThat(bad.exit).isNotZero();
    assertThat(bad.err).contains("not a date");
    Result backwards = run(List.of("bash", launcher.toString(), "--each-day", "--from", "2024-03-02", "--to",
        "2024-03-01"), env);
    assertThat(backwards.exit).isNotZero();
    assertThat(backwards.err).contains("after");
  }

  /** bin/seedtest ships jars to a standalone master only; any other cluster master goes through jobs/. */
  @Test
  void seedtestRefusesAMasterItCannotShipTo() throws Exception {
    Result r = run(List.of("bash", "bin/seedtest", "--help"),
        Map.of("SPARK_MASTER", "k8s://https://api.example:6443", "SEEDTEST_SKIP_BUILD", "1"));
    assertThat(r.exit).isNotZero();
    assertThat(r.err.strip().lines()).singleElement().asString().contains("jobs/<job>.sh").contains("k8s://");
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private static void assertPlaceholderPassword(String where, String url) {
    Matcher m = Pattern.compile("://[^/:@]+:([^@/]*)@").matcher(url == null ? "" : url);
    if (m.find()) {
      assertThat(m.group(1)).as("%s: the password in DATABASE_URL must be a placeholder", where)
          .isEqualTo("CHANGE_ME");
    }
  }

  /** KEY=VALUE or "key = value" lines, comments and blanks skipped. */
  private static Map<String, String> properties(Path file) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : ProjectDir.read(file).split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      assertThat(eq).as("%s: line without '=': %s", file, l).isPositive();
      m.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
    }
    return m;
  }

  record Result(int exit, String out, String err) {}

  private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(ProjectDir.root().toFile());
    pb.environment().putAll(env);
    Path out = Files.createTempFile("ops-test", ".out");
    Path err = Files.createTempFile("ops-test", ".err");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
