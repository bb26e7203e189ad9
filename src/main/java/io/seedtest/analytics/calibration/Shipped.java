package io.seedtest.analytics.calibration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A value sent to the executors (a broadcast) as Java-serialized bytes, whatever
 * {@code spark.serializer} is. The IRT core uses Java records (ItemParams …), and Kryo, which the
 * cluster configuration selects, cannot rebuild records (it sets final fields through Unsafe,
 * which the JVM refuses for records). Wrapping keeps the math free of serializer concerns: Kryo
 * only sees a byte array, and each executor deserializes the value once.
 */
final class Shipped<T extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private transient volatile T value;

  private Shipped(byte[] bytes, T value) {
    this.bytes = bytes;
    this.value = value;
  }

  static <T extends Serializable> Shipped<T> of(T value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(out)) {
      o.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Shipped<>(out.toByteArray(), value);
  }

  @SuppressWarnings("unchecked")
  T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        if (value == null) {
          try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            value = (T) in.readObject();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
          }
        }
        v = value;
      }
    }
    return v;
  }
}
