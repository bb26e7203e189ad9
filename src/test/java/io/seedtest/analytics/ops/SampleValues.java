package io.seedtest.analytics.ops;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a sample instance of a type from its constructors: records through their canonical
 * constructor, classes through the first constructor, else static factory, that accepts made-up
 * arguments. Numbers count
 * up (1, 2, 3 ...) so arrays hold distinct values; arrays have two elements; types of other
 * libraries (Spark's Broadcast, say) are null. Returns null when every constructor refuses.
 */
final class SampleValues {
  private static final int MAX_DEPTH = 6;
  private int next = 1;

  Object of(Class<?> type) {
    return of(type, 0);
  }

  private Object of(Class<?> t, int depth) {
    int n = next++;
    if (t == boolean.class || t == Boolean.class) {
      return n % 2 == 1;
    } else if (t == byte.class || t == Byte.class) {
      return (byte) n;
    } else if (t == short.class || t == Short.class) {
      return (short) n;
    } else if (t == int.class || t == Integer.class) {
      return n;
    } else if (t == long.class || t == Long.class) {
      return (long) n;
    } else if (t == float.class || t == Float.class) {
      return n / 8f;
    } else if (t == double.class || t == Double.class) {
      return n / 8d;
    } else if (t == char.class || t == Character.class) {
      return (char) ('a' + n % 26);
    } else if (t == String.class) {
      return "s" + n;
    } else if (t == LocalDate.class) {
      return LocalDate.of(2026, 1, 1).plusDays(n);
    } else if (t == Instant.class) {
      return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n);
    } else if (t == List.class) {
      return List.of("s" + n);
    } else if (t == Map.class) {
      return Map.of("k" + n, n);
    } else if (t == Set.class) {
      return Set.of("s" + n);
    } else if (t == Optional.class) {
      return Optional.empty();
    } else if (t.isArray()) {
      Object a = Array.newInstance(t.getComponentType(), 2);
      for (int i = 0; i < 2; i++) {
        Array.set(a, i, of(t.getComponentType(), depth + 1));
      }
      return a;
    } else if (t.isEnum()) {
      return t.getEnumConstants()[0];
    } else if (!t.getName().startsWith(ExecutorBoundTypes.ROOT_PACKAGE + ".") || depth > MAX_DEPTH
        || Modifier.isAbstract(t.getModifiers())) {
      return null;
    }
    Constructor<?>[] constructors = t.getDeclaredConstructors();
    Arrays.sort(constructors, Comparator.comparingInt(Constructor::getParameterCount));
    if (t.isRecord()) {
      Class<?>[] types = Arrays.stream(t.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
      constructors = Arrays.stream(constructors).filter(c -> Arrays.equals(c.getParameterTypes(), types))
          .toArray(Constructor<?>[]::new);
    }
    for (Constructor<?> c : constructors) {
      try {
        c.setAccessible(true);
        return c.newInstance(arguments(c.getParameterTypes(), depth));
      } catch (ReflectiveOperationException | RuntimeException e) {
        // a constructor that validates its arguments: try the next one
      }
    }
    // then the type's own static factories (defaults(), realistic() ...), fewest parameters first
    Method[] factories = Arrays.stream(t.getDeclaredMethods())
        .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getReturnType() == t)
        .sorted(Comparator.comparingInt(Method::getParameterCount)).toArray(Method[]::new);
    for (Method m : factories) {
      try {
        m.setAccessible(true);
        return m.invoke(null, arguments(m.getParameterTypes(), depth));
      } catch (ReflectiveOperationException | RuntimeException e) {
        // refused: try the next one
      }
    }
    return null;
  }

  private Object[] arguments(Class<?>[] types, int depth) {
    Object[] args = new Object[types.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = of(types[i], depth + 1);
    }
    return args;
  }
}
