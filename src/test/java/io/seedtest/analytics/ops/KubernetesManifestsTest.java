package io.seedtest.analytics.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object under k8s/ validates against the Kubernetes (and Prometheus Operator) schemas
 * with unknown fields rejected ({@link KubernetesSchemas}); the identities, credentials and
 * alert rules hang together. The second half shows the validation failing for the reasons it
 * exists, the first of them the old ad-hoc pod override (a Pod left without image or command).
 */
class KubernetesManifestsTest {

  static List<Path> k8sFiles() {
    return ProjectDir.filesEndingWith("k8s", ".yaml");
  }

  static List<JsonNode> docs(String file) {
    return SparkOperatorManifestsTest.documents(ProjectDir.read(ProjectDir.resolve(file)));
  }

  static JsonNode doc(String file, String kind) {
    return docs(file).stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError(file + " has no " + kind));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("k8sFiles")
  void validatesAgainstTheKubernetesSchema(Path file) {
    List<JsonNode> docs = SparkOperatorManifestsTest.documents(ProjectDir.read(file));
    assertThat(docs).isNotEmpty();
    for (JsonNode d : docs) {
      assertThat(KubernetesSchemas.validate(d))
          .as("schema errors in %s (%s %s)", file.getFileName(), d.path("kind").asText(),
              d.path("metadata").path("name").asText())
          .isEmpty();
    }
  }

  @Test
  void theAdhocPodRunsTheImageWithoutApiAccessAndWithTheSettings() {
    JsonNode pod = doc("k8s/adhoc-pod.yaml", "Pod");
    JsonNode c = pod.path("spec").path("containers").path(0);
    assertThat(c.path("image").asText()).startsWith("registry.example.com/seedtest/seedtest-analytics:");
    assertThat(c.path("command").isArray()).as("the container has a command of its own").isTrue();
    assertThat(pod.path("spec").path("serviceAccountName").asText()).isEqualTo(noApiServiceAccount());
    assertThat(pod.path("spec").path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(c.path("envFrom").findValuesAsText("name"))
        .containsExactlyInAnyOrder("seedtest-analytics-config", "seedtest-analytics-secrets");
  }

  /** The identity with no Role: no RoleBinding names it, and its pods get no token. */
  static String noApiServiceAccount() {
    return docs("k8s/rbac.yaml").stream()
        .filter(d -> d.path("kind").asText().equals("ServiceAccount") && !d.path("automountServiceAccountToken")
            .asBoolean(true))
        .map(d -> d.path("metadata").path("name").asText()).findFirst().orElseThrow();
  }

  @Test
  void onlyTheDriversAreBoundToARoleAndItGrantsNoSecretsNorUpdates() {
    String noApi = noApiServiceAccount();
    List<String> bound = new ArrayList<>();
    for (Path f : k8sFiles()) {
      for (JsonNode d : SparkOperatorManifestsTest.documents(ProjectDir.read(f))) {
        if (d.path("kind").asText().endsWith("RoleBinding")) {
          d.path("subjects").forEach(s -> bound.add(s.path("name").asText()));
        }
      }
    }
    assertThat(bound).containsExactly("seedtest-spark").doesNotContain(noApi);
    JsonNode role = doc("k8s/rbac.yaml", "Role");
    Set<String> resources = new LinkedHashSet<>();
    Set<String> verbs = new LinkedHashSet<>();
    role.path("rules").forEach(r -> {
      r.path("resources").forEach(x -> resources.add(x.asText()));
      r.path("verbs").forEach(x -> verbs.add(x.asText()));
    });
    assertThat(resources).containsExactlyInAnyOrder("pods", "configmaps", "services");
    assertThat(verbs).doesNotContain("update", "*").contains("create", "patch", "deletecollection");
  }

  @Test
  void databaseUrlOnlyReachesPodsThatReadIt() {
    // The History Server and the exporter read S3 / their own Secret only.
    for (String file : List.of("k8s/spark-history-server.yaml", "k8s/job-runs-exporter.yaml")) {
      for (JsonNode d : docs(file)) {
        assertThat(d.findValuesAsText("name")).as("%s %s env", file, d.path("kind").asText())
            .doesNotContain("DATABASE_URL");
        assertThat(d.findValues("secretRef")).as("%s: whole Secret as environment", file).isEmpty();
      }
    }
  }

  @Test
  void everyAlertReadsAMetricTheExporterExportsForAJobThatExists() {
    JsonNode collectorMap = doc("k8s/job-runs-exporter.yaml", "ConfigMap");
    JsonNode collector = SparkOperatorManifestsTest.single(collectorMap.path("data").path("job_runs.collector.yml").asText());
    Set<String> exported = new LinkedHashSet<>(collector.path("metrics").findValuesAsText("metric_name"));
    Set<String> jobs = new LinkedHashSet<>();
    for (Path f : SparkOperatorManifestsTest.manifestFiles()) {
      for (JsonNode d : SparkOperatorManifestsTest.documents(ProjectDir.read(f))) {
        JsonNode app = d.path("kind").asText().equals("ScheduledSparkApplication") ? d.path("spec").path("template")
            : d.path("spec");
        jobs.add(app.path("arguments").path(0).asText());
      }
    }
    JsonNode rules = doc("k8s/prometheus-rules.yaml", "PrometheusRule");
    List<String> exprs = rules.path("spec").path("groups").findValuesAsText("expr");
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(3);
    Set<String> alerts = new LinkedHashSet<>(rules.path("spec").path("groups").findValuesAsText("alert"));
    assertThat(alerts).contains("SeedtestJobRunFailed", "SeedtestJobMissedSchedule", "SeedtestQuarantineShareGrowing");
    for (String expr : exprs) {
      Matcher m = Pattern.compile("\\bseedtest_[a-z_]+").matcher(expr);
      while (m.find()) {
        assertThat(exported).as("metric %s in '%s'", m.group(), expr).contains(m.group());
      }
      Matcher j = Pattern.compile("job_name=~?\"([^\"]+)\"").matcher(expr);
      while (j.find()) {
        for (String job : j.group(1).split("\\|")) {
          assertThat(jobs).as("job %s in '%s'", job, expr).contains(job);
        }
      }
    }
  }

  @Test
  void everyFileAndLauncherIsListedInItsReadme() {
    String k8s = ProjectDir.read(ProjectDir.resolve("k8s/README.md"));
    for (Path f : ProjectDir.filesEndingWith("k8s", "")) {
      if (!f.getFileName().toString().equals("README.md")) {
        assertThat(k8s).as("k8s/README.md lists %s", f.getFileName()).contains("`" + f.getFileName() + "`");
      }
    }
    String ops = ProjectDir.read(ProjectDir.resolve("spark-operator/README.md"));
    SparkOperatorManifestsTest.manifestFiles().forEach(f ->
        assertThat(ops).as("spark-operator/README.md lists %s", f.getFileName()).contains("`" + f.getFileName() + "`"));
    String jobs = ProjectDir.read(ProjectDir.resolve("jobs/README.md"));
    ProjectDir.filesEndingWith("jobs", ".sh").forEach(f ->
        assertThat(jobs).as("jobs/README.md lists %s", f.getFileName()).contains("`" + f.getFileName() + "`"));
  }

  // ---- the validation can fail ---------------------------------------------------------------------

  static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: broken-on-purpose
        namespace: seedtest-analytics
      spec:
        serviceAccountName: seedtest-no-api
        containers:
          - name: seedtest
            image: registry.example.com/seedtest/seedtest-analytics:test
            command: ["sleep", "60"]
            resources:
              limits:
                memory: 3Gi
      """;

  static Stream<Arguments> breakers() {
    return Stream.of(
        // what `kubectl run --overrides` with the default merge patch made of the old overrides file:
        // its container list replaced the generated one, so no image (and no command)
        Arguments.of("container without image", "      image: registry.example.com/seedtest/seedtest-analytics:test\n",
            "", "image"),
        Arguments.of("misspelt field (the API server would drop it)", "serviceAccountName:", "serviceAcountName:",
            "serviceAcountName"),
        Arguments.of("not a quantity", "memory: 3Gi", "memory: 3 GB", "memory"),
        Arguments.of("command as one string", "command: [\"sleep\", \"60\"]", "command: sleep 60", "command"),
        Arguments.of("unknown kind", "kind: Pod", "kind: Pods", "no Kubernetes schema"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breakers")
  void theSchemaRejectsABrokenObject(String why, String from, String to, String mentioned) {
    assertThat(KubernetesSchemas.validate(SparkOperatorManifestsTest.single(POD))).isEmpty();
    JsonNode broken = SparkOperatorManifestsTest.single(SparkOperatorManifestsTest.replaceOnce(POD, from, to));
    assertThat(KubernetesSchemas.validate(broken)).as(why).isNotEmpty()
        .anySatisfy(m -> assertThat(m).contains(mentioned));
  }
}
