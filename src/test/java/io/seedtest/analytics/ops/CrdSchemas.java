package io.seedtest.analytics.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validators for Spark Operator resources, built from the operator's own CRDs (test resources
 * under {@code spark-operator/}, see the README there).
 *
 * <p>The CRD's {@code spec.versions[name=v1beta2].schema.openAPIV3Schema} is OpenAPI v3.0
 * (structural, Kubernetes flavour), which is JSON Schema draft 4 in all that matters here
 * (boolean {@code exclusiveMinimum}, {@code format} as annotation; OpenAPI's {@code nullable}
 * is honoured). Two adaptations:
 *
 * <ul>
 *   <li>{@code x-kubernetes-*} keywords are annotations for the API server (list/map semantics,
 *       int-or-string): registered as non-validating; any other unknown keyword fails loudly so
 *       a future CRD feature is not silently ignored.
 *   <li>Unknown fields: the API server prunes fields a structural schema does not declare, so a
 *       typo such as {@code timezone:} would be dropped without a word and the schedule would
 *       run in the operator's zone. We make every object schema that lists {@code properties}
 *       (and neither allows additional properties nor preserves unknown fields) closed with
 *       {@code additionalProperties: false}, the equivalent of {@code kubectl --validate=strict}.
 * </ul>
 */
final class CrdSchemas {
  static final String VERSION = "v1beta2";
  static final Map<String, String> CRD_BY_KIND = Map.of(
      "SparkApplication", "spark-operator/sparkoperator.k8s.io_sparkapplications.yaml",
      "ScheduledSparkApplication", "spark-operator/sparkoperator.k8s.io_scheduledsparkapplications.yaml");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<String> KUBERNETES_KEYWORDS = List.of(
      "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys", "x-kubernetes-list-type",
      "x-kubernetes-map-type", "x-kubernetes-preserve-unknown-fields",
      "x-kubernetes-embedded-resource", "x-kubernetes-validations",
      // OpenAPI 3.0's "nullable" (status timestamps); honoured through nullableKeywordEnabled.
      "nullable");

  private static final Map<String, JsonSchema> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private CrdSchemas() {}

  static YAMLMapper yaml() {
    return YAML;
  }

  /** Schema errors of one manifest ("$.spec.x: message"), sorted; empty when valid. */
  static List<String> validate(JsonNode manifest) {
    String kind = manifest.path("kind").asText("");
    String apiVersion = manifest.path("apiVersion").asText("");
    if (!CRD_BY_KIND.containsKey(kind)) {
      return List.of("$.kind: '" + kind + "' is not a Spark Operator kind " + CRD_BY_KIND.keySet());
    }
    if (!apiVersion.equals("sparkoperator.k8s.io/" + VERSION)) {
      return List.of("$.apiVersion: '" + apiVersion + "', expected sparkoperator.k8s.io/" + VERSION);
    }
    Set<ValidationMessage> messages = schemaFor(kind).validate(manifest);
    return messages.stream()
        .map(ValidationMessage::getMessage)
        .sorted(Comparator.naturalOrder())
        .toList();
  }

  static JsonSchema schemaFor(String kind) {
    return CACHE.computeIfAbsent(kind, CrdSchemas::load);
  }

  /** The raw openAPIV3Schema of {@code kind}'s CRD at {@link #VERSION}. */
  static JsonNode openApiSchema(String kind) {
    String resource = CRD_BY_KIND.get(kind);
    JsonNode crd;
    try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("test resource missing: " + resource);
      }
      crd = YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!crd.path("spec").path("names").path("kind").asText().equals(kind)) {
      throw new IllegalStateException(resource + " is not the CRD of " + kind);
    }
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (VERSION.equals(v.path("name").asText())) {
        JsonNode schema = v.path("schema").path("openAPIV3Schema");
        if (!schema.isObject()) {
          throw new IllegalStateException(resource + ": version " + VERSION + " has no openAPIV3Schema");
        }
        return schema;
      }
    }
    throw new IllegalStateException(resource + " has no version " + VERSION);
  }

  private static JsonSchema load(String kind) {
    JsonNode schema = openApiSchema(kind).deepCopy();
    closeObjects(schema);
    JsonMetaSchema v4 = JsonMetaSchema.getV4();
    JsonMetaSchema meta = JsonMetaSchema.builder(v4.getIri(), v4)
        .keywords(KUBERNETES_KEYWORDS.stream().map(NonValidationKeyword::new).toList())
        .unknownKeywordFactory((keyword, context) -> {
          throw new IllegalStateException("CRD of " + kind + " uses keyword '" + keyword
              + "' this validator does not know; teach CrdSchemas about it");
        })
        .build();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(
        SpecVersion.VersionFlag.V4, b -> b.metaSchema(meta));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        .nullableKeywordEnabled(true)
        .build();
    return factory.getSchema(schema, config);
  }

  /**
   * Adds additionalProperties:false to every object schema that declares its properties. Walks
   * the schema by keyword (properties, items, additionalProperties, allOf/anyOf/oneOf, not), so a
   * field that happens to be called "properties" is not mistaken for the keyword.
   */
  static void closeObjects(JsonNode schema) {
    if (!schema.isObject()) {
      return;
    }
    ObjectNode o = (ObjectNode) schema;
    if (o.has("properties") && !o.has("additionalProperties")
        && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      o.put("additionalProperties", false);
    }
    o.path("properties").elements().forEachRemaining(CrdSchemas::closeObjects);
    closeObjects(o.path("additionalProperties"));
    closeObjects(o.path("not"));
    JsonNode items = o.path("items");
    if (items.isArray()) {
      items.elements().forEachRemaining(CrdSchemas::closeObjects);
    } else {
      closeObjects(items);
    }
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      o.path(combinator).elements().forEachRemaining(CrdSchemas::closeObjects);
    }
  }
}
