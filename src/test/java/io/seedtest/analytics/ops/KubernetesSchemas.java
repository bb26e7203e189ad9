package io.seedtest.analytics.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Client-side validation of plain Kubernetes objects (Pod, Deployment, Service, Role, ...,
 * and the Prometheus Operator's PodMonitor, ServiceMonitor, PrometheusRule) — what
 * {@code kubectl apply --dry-run=server --validate=strict} checks, without an API server.
 *
 * <p>The schemas are the JSON Schemas that fabric8's Kubernetes model jars ship (Maven Central,
 * test scope: {@code schema/validation-schema.json}, generated from the Kubernetes and
 * prometheus-operator APIs). They are written for Java code generation, so three adaptations
 * make them validate as the API server does:
 *
 * <ul>
 *   <li>Closed objects: every object that declares properties rejects unknown fields (the API
 *       server drops them silently; a typo such as {@code serviceAcountName} would be lost).
 *   <li>{@code Quantity} and {@code IntOrString} are strings/numbers in YAML, not the Java objects
 *       the generated schema describes.
 *   <li>fabric8 drops the OpenAPI {@code required} lists; the ones the API server enforces for the
 *       objects we ship are restored ({@link #REQUIRED}).
 * </ul>
 */
final class KubernetesSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUANTITY = "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]"
      + "|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";
  /** Required fields of the Kubernetes API (its OpenAPI "required" lists and validation), by definition. */
  static final Map<String, List<String>> REQUIRED = Map.of(
      "kubernetes_core_Container", List.of("name", "image"),
      "kubernetes_core_PodSpec", List.of("containers"),
      "kubernetes_core_EnvVar", List.of("name"),
      "kubernetes_core_ServicePort", List.of("port"),
      "kubernetes_apps_DeploymentSpec", List.of("selector", "template"),
      "kubernetes_rbac_v1_PolicyRule", List.of("verbs"),
      "kubernetes_rbac_v1_RoleRef", List.of("apiGroup", "kind", "name"),
      "kubernetes_rbac_v1_Subject", List.of("kind", "name"),
      "os_monitoring_v1_Rule", List.of("expr"),
      "os_monitoring_v1_RuleGroup", List.of("name"));

  private static Map<String, JsonSchema> byType;

  private KubernetesSchemas() {}

  /** Schema errors of one object (empty = valid); an apiVersion/kind we have no schema for is an error. */
  static List<String> validate(JsonNode object) {
    String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    JsonSchema schema = schemas().get(type);
    if (schema == null) {
      return List.of("no Kubernetes schema for " + type + " (known: " + schemas().keySet().stream().sorted().toList()
          + ")");
    }
    List<String> errors = new ArrayList<>();
    schema.validate(object).stream()
        .sorted(Comparator.comparing(ValidationMessage::getMessage))
        .forEach(m -> errors.add(m.getMessage()));
    return errors;
  }

  private static synchronized Map<String, JsonSchema> schemas() {
    if (byType == null) {
      ObjectNode definitions = JSON.createObjectNode();
      try {
        for (URL url : Collections.list(KubernetesSchemas.class.getClassLoader()
            .getResources("schema/validation-schema.json"))) {
          try (InputStream in = url.openStream()) {
            JSON.readTree(in).path("definitions").fields()
                .forEachRemaining(e -> definitions.putIfAbsent(e.getKey(), e.getValue()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (definitions.isEmpty()) {
        throw new IllegalStateException("no schema/validation-schema.json on the test classpath (fabric8 model jars)");
      }
      adapt(definitions);
      JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
      Map<String, JsonSchema> schemas = new HashMap<>();
      definitions.fields().forEachRemaining(e -> {
        JsonNode props = e.getValue().path("properties");
        String kind = props.path("kind").path("default").asText("");
        String apiVersion = props.path("apiVersion").path("default").asText("");
        if (!kind.isEmpty() && !apiVersion.isEmpty() && !kind.endsWith("List")) {
          ObjectNode root = JSON.createObjectNode();
          root.put("$ref", "#/definitions/" + e.getKey());
          root.set("definitions", definitions);
          schemas.putIfAbsent(apiVersion + "/" + kind, factory.getSchema(root));
        }
      });
      byType = schemas;
    }
    return byType;
  }

  private static void adapt(ObjectNode definitions) {
    definitions.fields().forEachRemaining(e -> strip(e.getValue()));
    for (Iterator<String> it = definitions.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (name.endsWith("_Quantity")) {
        definitions.set(name, anyOf(JSON.createObjectNode().put("type", "string").put("pattern", QUANTITY),
            JSON.createObjectNode().put("type", "number")));
      } else if (name.endsWith("_IntOrString")) {
        definitions.set(name, anyOf(JSON.createObjectNode().put("type", "integer"),
            JSON.createObjectNode().put("type", "string")));
      }
    }
    REQUIRED.forEach((name, fields) -> {
      if (!definitions.has(name)) {
        throw new IllegalStateException("fabric8 schema has no " + name + "; update KubernetesSchemas.REQUIRED");
      }
      ArrayNode required = ((ObjectNode) definitions.get(name)).putArray("required");
      fields.forEach(required::add);
    });
  }

  private static ObjectNode anyOf(ObjectNode a, ObjectNode b) {
    ObjectNode n = JSON.createObjectNode();
    n.putArray("anyOf").add(a).add(b);
    return n;
  }

  /** Drops the Java-generation keywords and the draft-3 style "required": true; closes declared objects. */
  private static void strip(JsonNode node) {
    if (node.isArray()) {
      node.forEach(KubernetesSchemas::strip);
      return;
    }
    if (!node.isObject()) {
      return;
    }
    ObjectNode o = (ObjectNode) node;
    List<String> drop = new ArrayList<>();
    o.fields().forEachRemaining(e -> {
      String k = e.getKey();
      if (k.startsWith("java") || k.equals("existingJavaType") || (k.equals("required") && e.getValue().isBoolean())) {
        drop.add(k);
      }
    });
    o.remove(drop);
    if (o.has("properties") && o.path("additionalProperties").isBoolean()) {
      o.put("additionalProperties", false);
    }
    o.path("properties").forEach(KubernetesSchemas::strip);
    strip(o.path("items"));
    strip(o.path("additionalProperties"));
  }
}
