package io.seedtest.analytics.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.calibration.ResponseBlock;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.Responses;
import io.seedtest.analytics.job.ModernJavaKryo;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.report.ReportStore;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Every type that can cross to executors ({@link ExecutorBoundTypes}, discovered in the compiled
 * classes) survives a round trip through the serializer production configures (Kryo with
 * conf/spark-defaults.conf's settings and the registrators every session gets) and through Java
 * serialization (closures, and spark.serializer's default). A new record, field or captured value
 * that one of them cannot move fails here instead of on the cluster only.
 */
class SerializerSafetyTest {
  private static final TreeMap<String, Class<?>> TYPES = ExecutorBoundTypes.find(ModernJavaKryo.class);
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.AnyRef();

  /**
   * Samples for types whose constructors refuse made-up arguments (SampleValues returns null for
   * them). A type discovered without a sample fails {@link #everyTypeHasASample}.
   */
  private static final Map<Class<?>, Object> SAMPLES = Map.of(
      Responses.class, responses(),
      ResponseBlock.class, new ResponseBlock(new long[] {7L, 9L}, responses()),
      ReportStore.class, ReportStore.of(new ReportStorage("s3://reports/weekly", "http://127.0.0.1:9000",
          "us-east-1", true, "sample-key-id", "sample-secret")));

  /** Two students, two items: student 0 answered item 0 right and item 1 wrong, student 1 item 1 right. */
  private static Responses responses() {
    return new Responses(new int[] {0, 2, 3}, new int[] {0, 1, 1}, new byte[] {1, 0, 1}, 2);
  }

  static Stream<String> types() {
    return TYPES.keySet().stream();
  }

  /** conf/spark-defaults.conf (the file spark-submit reads), plus what SparkSessions adds. */
  static SparkConf productionConf() {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(ProjectDir.resolve("conf/spark-defaults.conf"))) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SparkConf conf = new SparkConf(false);
    p.stringPropertyNames().forEach(k -> conf.set(k, p.getProperty(k).trim()));
    return conf.set("spark.kryo.registrator", SparkSessions.kryoRegistrators(conf));
  }

  @Test
  void productionSelectsKryo() {
    assertThat(productionConf().get("spark.serializer")).isEqualTo(KryoSerializer.class.getName());
  }

  @Test
  void findsWhatTheJobsShip() {
    assertThat(TYPES).containsKeys(
        "io.seedtest.analytics.irt.ItemParams",                 // in a broadcast snapshot
        "io.seedtest.analytics.ability.ItemParamsSnapshot",     // broadcast by update-abilities
        "io.seedtest.analytics.ability.SessionChains$Chain",    // its cogroup function
        "io.seedtest.analytics.ability.UpdateRule",             // that function's state
        "io.seedtest.analytics.config.DatabaseUrl");            // captured by the COPY writers
  }

  /** Why the registrator exists: Kryo as Spark ships it cannot rebuild a record nor a List.of. */
  @Test
  void kryoWithoutTheRegistratorFailsOnRecordsAndImmutableLists() {
    SerializerInstance plain = new KryoSerializer(productionConf().remove("spark.kryo.registrator")).newInstance();
    assertThatThrownBy(() -> plain.serialize(ItemParams.of(1.0, 0.0, 0.2), ANY))
        .hasStackTraceContaining("record");
    assertThatThrownBy(() -> plain.deserialize(plain.serialize(List.of("a"), ANY), ANY))
        .hasStackTraceContaining("UnsupportedOperationException");
  }

  @Test
  void everyTypeHasASample() {
    assertThat(TYPES.values().stream().filter(t -> sample(t) == null).map(Class::getName))
        .as("executor-bound types without a sample (add one to SerializerSafetyTest.SAMPLES)")
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void roundTripsThroughKryo(String type) {
    roundTrip(new KryoSerializer(productionConf()), type);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void roundTripsThroughJavaSerialization(String type) {
    roundTrip(new JavaSerializer(productionConf()), type);
  }

  private static void roundTrip(Serializer serializer, String type) {
    Object value = sample(TYPES.get(type));
    if (value == null) {
      return; // reported once by everyTypeHasASample
    }
    SerializerInstance s = serializer.newInstance();
    Object back = s.deserialize(s.serialize(value, ANY), ANY);
    assertThat(back).as(type).isInstanceOf(TYPES.get(type));
    assertThat(back).as(type).usingRecursiveComparison()
        .ignoringFields(transientFields(TYPES.get(type))) // never shipped, by declaration
        .withEqualsForType((x, y) -> Double.compare(x, y) == 0, Double.class) // NaN marks "not estimated"
        .isEqualTo(value);
  }

  private static String[] transientFields(Class<?> type) {
    return java.util.Arrays.stream(type.getDeclaredFields())
        .filter(f -> java.lang.reflect.Modifier.isTransient(f.getModifiers()))
        .map(java.lang.reflect.Field::getName).toArray(String[]::new);
  }

  private static Object sample(Class<?> type) {
    return SAMPLES.containsKey(type) ? SAMPLES.get(type) : new SampleValues().of(type);
  }
}
