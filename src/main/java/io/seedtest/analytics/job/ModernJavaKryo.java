package io.seedtest.analytics.job;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.util.Collections;
import java.util.List;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Lets Kryo ({@code spark.serializer} in production) move the Java types it predates. Kryo 4, the
 * version Spark ships, builds a class it does not know with a FieldSerializer that sets final
 * fields through Unsafe field offsets, which the JVM refuses for records ("can't get field offset
 * on a record class"), and rebuilds a collection by {@code add} on a new instance, which the JDK's
 * immutable collections ({@code List.of}, {@code Stream.toList()}, {@code Map.of}) and unmodifiable
 * views refuse. A broadcast, task result or shuffled value holding one failed on a cluster only.
 * These types are written with Java serialization instead, which rebuilds each through its own
 * serial form. One default serializer per base type covers every present and future subtype;
 * {@link SparkSessions} installs this registrator on every session.
 */
public final class ModernJavaKryo implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
    kryo.addDefaultSerializer(jdkClass("java.util.ImmutableCollections$AbstractImmutableCollection"),
        JavaSerializer.class);
    kryo.addDefaultSerializer(jdkClass("java.util.ImmutableCollections$AbstractImmutableMap"), JavaSerializer.class);
    kryo.addDefaultSerializer(Collections.unmodifiableCollection(List.of()).getClass(), JavaSerializer.class);
    kryo.addDefaultSerializer(Collections.unmodifiableMap(java.util.Map.of()).getClass(), JavaSerializer.class);
  }

  private static Class<?> jdkClass(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("this JDK has no " + name, e);
    }
  }
}
