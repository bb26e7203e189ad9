package io.seedtest.analytics.testing;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drops, after each top-level test class (after its own {@code @AfterAll}), every schema
 * {@link TestDatabase} made for it and the class did not drop itself. Registered for all classes
 * through META-INF/services and junit-platform.properties, so no test can forget it. Classes run
 * one after another in the Surefire JVM, so the schemas not dropped yet are this class's.
 */
public final class DropTestSchemas implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    // A @Nested class shares its enclosing class's schemas: those go when the outer class ends.
    if (context.getTestClass().map(c -> c.isAnnotationPresent(Nested.class)).orElse(true)) {
      return;
    }
    TestDatabase.dropAllCreated();
  }
}
