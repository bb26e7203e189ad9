package io.seedtest.analytics.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Our operational policy for Spark Operator manifests, over and above the CRD schema: what the
 * mission fixes for every scheduled job (Forbid, 2 + 3 runs of history, explicit time zone,
 * requests/limits, credentials only from Secrets) and what keeps the manifests consistent with
 * the image, the RBAC, the Secret/ConfigMap templates and conf/spark-defaults.conf.
 *
 * <p>Each check adds a message naming the field; an empty list means the manifest complies.
 */
final class ManifestPolicy {
  static final String NAMESPACE = "seedtest-analytics";
  static final String MAIN_CLASS = "io.seedtest.analytics.cli.SeedtestCli";
  static final String SPARK_VERSION = "4.2.0";
  static final String APP_JAR = "local:///opt/seedtest/seedtest-analytics.jar";

  /** Spark JVM memory strings as spark.driver.memory takes them (512m, 2g): not Kubernetes' 2Gi. */
  private static final Pattern SPARK_MEMORY = Pattern.compile("[1-9][0-9]*[kmgt]");
  /** Kubernetes CPU quantities: 1, 2, 0.5, 500m. */
  private static final Pattern CPU_QUANTITY = Pattern.compile("([0-9]+(\\.[0-9]+)?|[1-9][0-9]*m)");
  /** Five-field cron (robfig ParseStandard) or a descriptor; no Quartz '?', no seconds field. */
  private static final Pattern CRON = Pattern.compile("(@(yearly|annually|monthly|weekly|daily|midnight|hourly)"
      + "|@every [0-9]+[smh]([0-9]+[smh])*|[^\\s?]+( [^\\s?]+){4})");
  /** Environment variables that carry credentials and so must come from a Secret. */
  private static final Pattern SECRET_ENV = Pattern.compile(
      "DATABASE_URL|.*(PASSWORD|PASSWD|SECRET|TOKEN|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL).*",
      Pattern.CASE_INSENSITIVE);
  /** A URL with a password in its user info (scheme://user:pass@host). */
  private static final Pattern URL_WITH_PASSWORD = Pattern.compile("[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@",
      Pattern.CASE_INSENSITIVE);
  /** Spark/Hadoop configuration keys whose values are credentials. */
  private static final Pattern SECRET_CONF_KEY = Pattern.compile(
      ".*(password|secret\\.key|access\\.key|session\\.token|credentials\\.json).*", Pattern.CASE_INSENSITIVE);

  private final Map<String, String> sparkDefaults;
  private final Set<String> secretKeys;
  private final String secretName;
  private final String configMapName;
  private final String serviceAccount;
  private final String executorServiceAccount;
  private final String eventLogBucket;

  /**
   * @param sparkDefaults  active settings of conf/spark-defaults.conf, each required in sparkConf
   * @param secretName     the Secret of k8s/secret.example.yaml, with its keys
   * @param configMapName  the ConfigMap of k8s/configmap.yaml
   * @param serviceAccount the drivers' ServiceAccount of k8s/rbac.yaml (the one the Role is bound to)
   * @param executorServiceAccount the ServiceAccount without API access, for executors
   * @param eventLogBucket the lake's bucket, where event logs go (s3a://BUCKET/...)
   */
  ManifestPolicy(Map<String, String> sparkDefaults, String secretName, Set<String> secretKeys,
      String configMapName, String serviceAccount, String executorServiceAccount, String eventLogBucket) {
    this.sparkDefaults = sparkDefaults;
    this.secretName = secretName;
    this.secretKeys = secretKeys;
    this.configMapName = configMapName;
    this.serviceAccount = serviceAccount;
    this.executorServiceAccount = executorServiceAccount;
    this.eventLogBucket = eventLogBucket;
  }

  List<String> check(JsonNode manifest) {
    List<String> errors = new ArrayList<>();
    String kind = manifest.path("kind").asText();
    JsonNode meta = manifest.path("metadata");
    if (meta.path("name").asText("").isEmpty() && meta.path("generateName").asText("").isEmpty()) {
      errors.add("metadata: needs a name (or generateName for one-off applications)");
    }
    expectEquals(errors, "metadata.namespace", meta.path("namespace"), NAMESPACE);

    JsonNode app;
    String at;
    if (kind.equals("ScheduledSparkApplication")) {
      checkSchedule(errors, manifest.path("spec"));
      app = manifest.path("spec").path("template");
      at = "spec.template";
    } else {
      app = manifest.path("spec");
      at = "spec";
    }
    checkApplication(errors, at, app, kind.equals("ScheduledSparkApplication"));
    checkNoCredentialsAnywhere(errors, "", manifest);
    return errors;
  }

  private void checkSchedule(List<String> errors, JsonNode spec) {
    String schedule = spec.path("schedule").asText("");
    if (!CRON.matcher(schedule).matches()) {
      errors.add("spec.schedule: '" + schedule + "' is not a 5-field cron expression or @descriptor");
    }
    expectEquals(errors, "spec.concurrencyPolicy", spec.path("concurrencyPolicy"), "Forbid");
    expectInt(errors, "spec.successfulRunHistoryLimit", spec.path("successfulRunHistoryLimit"), 2);
    expectInt(errors, "spec.failedRunHistoryLimit", spec.path("failedRunHistoryLimit"), 3);
    JsonNode tz = spec.path("timeZone");
    if (!tz.isTextual() || tz.asText().isBlank()) {
      errors.add("spec.timeZone: must be set explicitly (the operator's default is its own pod's zone)");
    } else if (tz.asText().equals("Local")) {
      errors.add("spec.timeZone: 'Local' is the operator pod's zone; name a zone such as Etc/UTC");
    } else {
      try {
        ZoneId.of(tz.asText());
      } catch (DateTimeException e) {
        errors.add("spec.timeZone: '" + tz.asText() + "' is not an IANA time zone");
      }
    }
    if (spec.path("suspend").asBoolean(false)) {
      errors.add("spec.suspend: a committed schedule must not be suspended");
    }
  }

  private void checkApplication(List<String> errors, String at, JsonNode app, boolean scheduled) {
    expectEquals(errors, at + ".type", app.path("type"), "Java");
    expectEquals(errors, at + ".mode", app.path("mode"), "cluster");
    expectEquals(errors, at + ".mainClass", app.path("mainClass"), MAIN_CLASS);
    expectEquals(errors, at + ".mainApplicationFile", app.path("mainApplicationFile"), APP_JAR);
    expectEquals(errors, at + ".sparkVersion", app.path("sparkVersion"), SPARK_VERSION);
    if (app.path("image").asText("").isBlank()) {
      errors.add(at + ".image: must be set");
    }
    JsonNode args = app.path("arguments");
    if (!args.isArray() || args.isEmpty() || !args.get(0).isTextual() || args.get(0).asText().startsWith("-")) {
      errors.add(at + ".arguments: must start with the CLI subcommand to run");
    }
    if (!app.path("restartPolicy").path("type").isTextual()) {
      errors.add(at + ".restartPolicy.type: must be set (Never or OnFailure with retries)");
    } else if (app.path("restartPolicy").path("type").asText().equals("Always")) {
      errors.add(at + ".restartPolicy.type: Always would rerun a finished batch job forever");
    }
    if (scheduled && app.path("monitoring").path("prometheus").isMissingNode()) {
      errors.add(at + ".monitoring.prometheus: scheduled jobs must expose metrics to Prometheus");
    }
    checkSparkConf(errors, at + ".sparkConf", app.path("sparkConf"));
    for (String role : List.of("driver", "executor")) {
      checkPod(errors, at + "." + role, app.path(role), role.equals("driver"));
    }
  }

  private void checkSparkConf(List<String> errors, String at, JsonNode conf) {
    for (Map.Entry<String, String> e : sparkDefaults.entrySet()) {
      JsonNode v = conf.path(e.getKey());
      if (!v.isTextual() || !v.asText().equals(e.getValue())) {
        errors.add(at + "." + e.getKey() + ": must be \"" + e.getValue() + "\" as in conf/spark-defaults.conf, is "
            + (v.isMissingNode() ? "missing" : v.toString()));
      }
    }
    if (!conf.path("spark.eventLog.enabled").asText("").equals("true")) {
      errors.add(at + ".spark.eventLog.enabled: must be \"true\" (the History Server reads the event logs)");
    }
    String eventLogs = conf.path("spark.eventLog.dir").asText("");
    if (!eventLogs.startsWith("s3a://" + eventLogBucket + "/")) {
      errors.add(at + ".spark.eventLog.dir: must be under the lake's bucket s3a://" + eventLogBucket + "/, is '"
          + eventLogs + "'");
    }
    for (Iterator<String> it = conf.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (SECRET_CONF_KEY.matcher(key).matches()) {
        errors.add(at + "." + key + ": credentials do not belong in sparkConf; use the Secret");
      }
    }
  }

  private void checkPod(List<String> errors, String at, JsonNode pod, boolean driver) {
    if (!pod.path("cores").isInt() || pod.path("cores").asInt() < 1) {
      errors.add(at + ".cores: must be set (a whole number >= 1)");
    }
    String limit = pod.path("coreLimit").asText("");
    if (!CPU_QUANTITY.matcher(limit).matches()) {
      errors.add(at + ".coreLimit: must be set to a CPU quantity (e.g. \"1\" or \"1500m\"), is '" + limit + "'");
    }
    for (String field : List.of("memory", "memoryOverhead")) {
      String mem = pod.path(field).asText("");
      if (!SPARK_MEMORY.matcher(mem).matches()) {
        errors.add(at + "." + field + ": must be set as a Spark memory string (e.g. 2g, 512m), is '" + mem + "'");
      }
    }
    if (driver) {
      expectEquals(errors, at + ".serviceAccount", pod.path("serviceAccount"), serviceAccount);
    } else {
      if (!pod.path("instances").isInt()) {
        errors.add(at + ".instances: must be set");
      }
      // executors never call the Kubernetes API: an identity with no Role and no token
      expectEquals(errors, at + ".serviceAccount", pod.path("serviceAccount"), executorServiceAccount);
    }
    if (!pod.path("securityContext").path("runAsNonRoot").asBoolean(false)) {
      errors.add(at + ".securityContext.runAsNonRoot: must be true");
    }
    checkEnv(errors, at, pod, driver);
  }

  private void checkEnv(List<String> errors, String at, JsonNode pod, boolean driver) {
    boolean hasDatabaseUrl = false;
    for (JsonNode env : pod.path("env")) {
      String name = env.path("name").asText();
      JsonNode ref = env.path("valueFrom").path("secretKeyRef");
      if (name.equals("DATABASE_URL")) {
        hasDatabaseUrl = true;
      }
      if (SECRET_ENV.matcher(name).matches()) {
        if (env.has("value") || ref.isMissingNode()) {
          errors.add(at + ".env." + name + ": credentials only via valueFrom.secretKeyRef, never a literal value");
          continue;
        }
        if (!ref.path("name").asText().equals(secretName)) {
          errors.add(at + ".env." + name + ": secretKeyRef.name must be " + secretName);
        }
        if (!secretKeys.contains(ref.path("key").asText())) {
          errors.add(at + ".env." + name + ": secret key '" + ref.path("key").asText() + "' is not in "
              + secretName + " " + secretKeys);
        }
      }
    }
    if (driver && !hasDatabaseUrl) {
      errors.add(at + ".env: DATABASE_URL must be set from the Secret (secretKeyRef)");
    }
    if (!driver && hasDatabaseUrl) {
      // only the driver reads it (Settings); COPY tasks get the connection inside the task
      errors.add(at + ".env.DATABASE_URL: executors never read it; give credentials only where they are read");
    }
    for (Iterator<String> it = pod.path("envVars").fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (SECRET_ENV.matcher(name).matches()) {
        errors.add(at + ".envVars." + name + ": literal values are not for credentials; use env with secretKeyRef");
      }
    }
    boolean hasConfig = false;
    for (JsonNode from : pod.path("envFrom")) {
      if (from.path("configMapRef").path("name").asText().equals(configMapName)) {
        hasConfig = true;
      }
    }
    if (!hasConfig) {
      errors.add(at + ".envFrom: must include configMapRef " + configMapName);
    }
  }

  /** No string anywhere may hold a URL with an embedded password. */
  private static void checkNoCredentialsAnywhere(List<String> errors, String at, JsonNode node) {
    if (node.isTextual() && URL_WITH_PASSWORD.matcher(node.asText()).find()) {
      errors.add((at.isEmpty() ? "$" : at) + ": holds a URL with a password; use the Secret");
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> checkNoCredentialsAnywhere(errors,
          at.isEmpty() ? e.getKey() : at + "." + e.getKey(), e.getValue()));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkNoCredentialsAnywhere(errors, at + "[" + i + "]", node.get(i));
      }
    }
  }

  private static void expectEquals(List<String> errors, String at, JsonNode actual, String expected) {
    if (!actual.isTextual() || !actual.asText().equals(expected)) {
      errors.add(at + ": must be " + expected + ", is " + (actual.isMissingNode() ? "missing" : actual.toString()));
    }
  }

  private static void expectInt(List<String> errors, String at, JsonNode actual, int expected) {
    if (!actual.isInt() || actual.asInt() != expected) {
      errors.add(at + ": must be " + expected + ", is " + (actual.isMissingNode() ? "missing" : actual.toString()));
    }
  }
}
