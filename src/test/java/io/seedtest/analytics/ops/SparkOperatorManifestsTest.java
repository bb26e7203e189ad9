package io.seedtest.analytics.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest under the project's {@code spark-operator/} directory must (1) validate against
 * the Spark Operator's CRD schema, made strict about unknown fields (see {@link CrdSchemas}), and
 * (2) follow our policy ({@link ManifestPolicy}). The second half of the class proves that both
 * checks can fail: deliberately broken manifests, written inline, are rejected for the stated
 * reason.
 */
class SparkOperatorManifestsTest {

  static List<Path> manifestFiles() {
    List<Path> files = new ArrayList<>(ProjectDir.filesEndingWith("spark-operator", ".yaml"));
    files.addAll(ProjectDir.filesEndingWith("spark-operator", ".yml"));
    if (files.isEmpty()) {
      throw new IllegalStateException("no *.yaml manifests found under " + ProjectDir.resolve("spark-operator"));
    }
    return files;
  }

  static List<JsonNode> documents(String yaml) {
    try (MappingIterator<JsonNode> it = CrdSchemas.yaml().readerFor(JsonNode.class).readValues(yaml)) {
      List<JsonNode> docs = new ArrayList<>();
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
    }
  }

  static JsonNode single(String yaml) {
    List<JsonNode> docs = documents(yaml);
    assertThat(docs).as("YAML documents").hasSize(1);
    return docs.get(0);
  }

  /** The policy, with names taken from the project's own conf/ and k8s/ files. */
  static ManifestPolicy projectPolicy() {
    JsonNode secret = single(ProjectDir.read(ProjectDir.resolve("k8s/secret.example.yaml")));
    Set<String> secretKeys = new HashSet<>();
    secret.path("stringData").fieldNames().forEachRemaining(secretKeys::add);
    secret.path("data").fieldNames().forEachRemaining(secretKeys::add);
    JsonNode configMap = single(ProjectDir.read(ProjectDir.resolve("k8s/configmap.yaml")));
    List<JsonNode> rbac = documents(ProjectDir.read(ProjectDir.resolve("k8s/rbac.yaml")));
    String serviceAccount = rbac.stream()
        .filter(d -> d.path("kind").asText().equals("RoleBinding"))
        .map(d -> d.path("subjects").path(0).path("name").asText())
        .findFirst().orElseThrow(() -> new IllegalStateException("k8s/rbac.yaml binds no ServiceAccount"));
    String noApi = rbac.stream()
        .filter(d -> d.path("kind").asText().equals("ServiceAccount") && !d.path("automountServiceAccountToken")
            .asBoolean(true))
        .map(d -> d.path("metadata").path("name").asText())
        .findFirst().orElseThrow(() -> new IllegalStateException("k8s/rbac.yaml has no ServiceAccount without a token"));
    String lakeBucket = configMap.path("data").path("SEEDTEST_LAKE").asText().replaceAll("^s3a://([^/]+).*", "$1");
    return new ManifestPolicy(sparkDefaults(), secret.path("metadata").path("name").asText(), secretKeys,
        configMap.path("metadata").path("name").asText(), serviceAccount, noApi, lakeBucket);
  }

  /** Active "key value" lines of conf/spark-defaults.conf. */
  static Map<String, String> sparkDefaults() {
    Map<String, String> conf = new LinkedHashMap<>();
    for (String line : ProjectDir.read(ProjectDir.resolve("conf/spark-defaults.conf")).split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] kv = l.split("\\s+", 2);
      conf.put(kv[0], kv.length > 1 ? kv[1].strip() : "");
    }
    return conf;
  }

  // ---- the project's manifests ------------------------------------------------------------------

  @Test
  void theProjectHasManifestsOfBothKinds() {
    Set<String> kinds = new HashSet<>();
    for (Path f : manifestFiles()) {
      documents(ProjectDir.read(f)).forEach(d -> kinds.add(d.path("kind").asText()));
    }
    assertThat(kinds).contains("ScheduledSparkApplication", "SparkApplication");
    assertThat(sparkDefaults()).containsEntry("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifestFiles")
  void validatesAgainstTheOperatorCrd(Path file) {
    List<JsonNode> docs = documents(ProjectDir.read(file));
    assertThat(docs).as("documents in %s", file.getFileName()).isNotEmpty();
    for (JsonNode doc : docs) {
      assertThat(CrdSchemas.validate(doc))
          .as("CRD schema errors in %s (%s)", file.getFileName(), doc.path("kind").asText())
          .isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifestFiles")
  void followsOurPolicy(Path file) {
    ManifestPolicy policy = projectPolicy();
    for (JsonNode doc : documents(ProjectDir.read(file))) {
      assertThat(policy.check(doc))
          .as("policy violations in %s (%s)", file.getFileName(), doc.path("kind").asText())
          .isEmpty();
    }
  }

  // ---- the checks can fail ------------------------------------------------------------------------

  /**
   * A minimal compliant schedule; each broken case below changes one line of it. Driver and
   * executor use different values so that every line is unique.
   */
  static final String GOOD = """
      apiVersion: sparkoperator.k8s.io/v1beta2
      kind: ScheduledSparkApplication
      metadata:
        name: broken-on-purpose
        namespace: seedtest-analytics
      spec:
        schedule: "30 1 * * *"
        timeZone: "Etc/UTC"
        concurrencyPolicy: Forbid
        successfulRunHistoryLimit: 2
        failedRunHistoryLimit: 3
        template:
          type: Java
          mode: cluster
          image: registry.example.com/seedtest/seedtest-analytics:test
          mainClass: io.seedtest.analytics.cli.SeedtestCli
          mainApplicationFile: local:///opt/seedtest/seedtest-analytics.jar
          arguments: ["aggregate-features-daily"]
          sparkVersion: "4.2.0"
          restartPolicy:
            type: Never
          sparkConf: {}
          monitoring:
            exposeDriverMetrics: true
            exposeExecutorMetrics: true
            prometheus:
              jmxExporterJar: /opt/seedtest/jmx/jmx_prometheus_javaagent.jar
          driver:
            cores: 1
            coreLimit: "1"
            memory: 1g
            memoryOverhead: 512m
            serviceAccount: seedtest-spark
            securityContext: {runAsNonRoot: true}
            envFrom: [{configMapRef: {name: seedtest-analytics-config}}]
            env:
              - {name: DATABASE_URL, valueFrom: {secretKeyRef: {name: seedtest-analytics-secrets, key: DATABASE_URL}}}
          executor:
            instances: 1
            serviceAccount: seedtest-no-api
            cores: 2
            coreLimit: "2"
            memory: 2g
            memoryOverhead: 768m
            securityContext: {runAsNonRoot: true}
            envFrom: [{configMapRef: {name: seedtest-analytics-config}}]
      """;

  /** GOOD with the project's spark-defaults mirrored into sparkConf, as the policy demands. */
  static String good() {
    StringBuilder conf = new StringBuilder("sparkConf:\n");
    sparkDefaults().forEach((k, v) -> conf.append("      \"").append(k).append("\": \"").append(v).append("\"\n"));
    conf.append("      spark.eventLog.enabled: \"true\"\n      spark.eventLog.dir: s3a://seedtest-lake/spark-events\n");
    return replaceOnce(GOOD, "sparkConf: {}\n", conf.toString());
  }

  static String replaceOnce(String text, String from, String to) {
    int i = text.indexOf(from);
    if (i < 0 || text.indexOf(from, i + 1) >= 0) {
      throw new IllegalArgumentException("expected exactly one '" + from.strip() + "' in the manifest");
    }
    return text.substring(0, i) + to + text.substring(i + from.length());
  }

  @Test
  void theInlineBaseManifestIsValid() {
    JsonNode doc = single(good());
    assertThat(CrdSchemas.validate(doc)).isEmpty();
    assertThat(projectPolicy().check(doc)).isEmpty();
  }

  static Stream<Arguments> schemaBreakers() {
    return Stream.of(
        Arguments.of("wrong type: cores as a word", "cores: 2", "cores: \"two\"", "cores"),
        Arguments.of("wrong type: history limit as a string",
            "successfulRunHistoryLimit: 2", "successfulRunHistoryLimit: \"2\"", "successfulRunHistoryLimit"),
        Arguments.of("wrong type: arguments as one string",
            "arguments: [\"aggregate-features-daily\"]", "arguments: aggregate-features-daily", "arguments"),
        Arguments.of("typo in a field name (the API server would silently drop it)",
            "timeZone: \"Etc/UTC\"", "timezone: \"Etc/UTC\"", "timezone"),
        Arguments.of("value outside the enum", "mode: cluster", "mode: clustered", "mode"),
        Arguments.of("below the minimum", "instances: 1", "instances: 0", "instances"),
        Arguments.of("required field missing",
            "    mainApplicationFile: local:///opt/seedtest/seedtest-analytics.jar\n", "", "mainApplicationFile"),
        Arguments.of("wrong apiVersion",
            "sparkoperator.k8s.io/v1beta2", "sparkoperator.k8s.io/v1beta1", "apiVersion"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaBreakers")
  void theSchemaRejectsABrokenManifest(String why, String from, String to, String mentioned) {
    JsonNode broken = single(replaceOnce(good(), from, to));
    assertThat(CrdSchemas.validate(broken))
        .as(why)
        .isNotEmpty()
        .anySatisfy(message -> assertThat(message).contains(mentioned));
  }

  static Stream<Arguments> policyBreakers() {
    return Stream.of(
        Arguments.of("literal DATABASE_URL",
            "valueFrom: {secretKeyRef: {name: seedtest-analytics-secrets, key: DATABASE_URL}}",
            "value: \"postgresql://analytics:hunter2@db.internal:5432/seedtest\"", "DATABASE_URL"),
        Arguments.of("password in a plain env var",
            "envFrom: [{configMapRef: {name: seedtest-analytics-config}}]\n      env:\n",
            "envFrom: [{configMapRef: {name: seedtest-analytics-config}}]\n      env:\n"
                + "        - {name: PGPASSWORD, value: hunter2}\n", "PGPASSWORD"),
        Arguments.of("concurrency allowed", "concurrencyPolicy: Forbid", "concurrencyPolicy: Allow", "concurrencyPolicy"),
        // The CRD declares concurrencyPolicy as a plain string (no enum): only the policy sees this.
        Arguments.of("misspelt concurrency policy", "concurrencyPolicy: Forbid", "concurrencyPolicy: forbid",
            "concurrencyPolicy"),
        Arguments.of("history kept too short", "failedRunHistoryLimit: 3", "failedRunHistoryLimit: 1",
            "failedRunHistoryLimit"),
        Arguments.of("no time zone", "  timeZone: \"Etc/UTC\"\n", "", "timeZone"),
        Arguments.of("the operator pod's time zone", "timeZone: \"Etc/UTC\"", "timeZone: Local", "timeZone"),
        Arguments.of("not a time zone", "timeZone: \"Etc/UTC\"", "timeZone: Mars/Olympus", "timeZone"),
        Arguments.of("executor memory missing", "      memory: 2g\n", "", "executor.memory"),
        Arguments.of("executor cores missing", "      cores: 2\n", "", "executor.cores"),
        Arguments.of("no CPU limit", "      coreLimit: \"1\"\n", "", "driver.coreLimit"),
        Arguments.of("Kubernetes quantity where Spark wants 1g", "memory: 1g", "memory: 1Gi", "driver.memory"),
        Arguments.of("Quartz cron", "schedule: \"30 1 * * *\"", "schedule: \"0 30 1 ? * *\"", "schedule"),
        Arguments.of("S3 secret in sparkConf", "sparkConf:\n",
            "sparkConf:\n      spark.hadoop.fs.s3a.secret.key: \"abc\"\n", "secret.key"),
        Arguments.of("Delta extension dropped",
            "      \"spark.sql.extensions\": \"io.delta.sql.DeltaSparkSessionExtension\"\n", "", "spark.sql.extensions"),
        Arguments.of("executors with the driver's API access", "serviceAccount: seedtest-no-api",
            "serviceAccount: seedtest-spark", "executor.serviceAccount"),
        Arguments.of("DATABASE_URL on executors, which never read it", "memoryOverhead: 768m\n",
            "memoryOverhead: 768m\n      env:\n        - {name: DATABASE_URL, valueFrom: {secretKeyRef: "
                + "{name: seedtest-analytics-secrets, key: DATABASE_URL}}}\n", "executor.env.DATABASE_URL"),
        Arguments.of("no event logs", "spark.eventLog.enabled: \"true\"", "spark.eventLog.enabled: \"false\"",
            "spark.eventLog.enabled"),
        Arguments.of("event logs outside the lake's bucket", "s3a://seedtest-lake/spark-events",
            "s3a://elsewhere/spark-events", "spark.eventLog.dir"),
        Arguments.of("wrong main class", "mainClass: io.seedtest.analytics.cli.SeedtestCli",
            "mainClass: io.seedtest.analytics.Main", "mainClass"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policyBreakers")
  void thePolicyRejectsABrokenManifest(String why, String from, String to, String mentioned) {
    JsonNode broken = single(replaceOnce(good(), from, to));
    assertThat(projectPolicy().check(broken))
        .as(why)
        .isNotEmpty()
        .anySatisfy(message -> assertThat(message).contains(mentioned));
  }
}
