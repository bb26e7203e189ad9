package io.seedtest.analytics.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates the project's own files (spark-operator/, conf/, k8s/, ...) from a test. */
final class ProjectDir {
  private ProjectDir() {}

  /** The directory holding pom.xml: Surefire's {@code basedir}, else the nearest parent of the cwd. */
  static Path root() {
    String basedir = System.getProperty("basedir");
    Path start = Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("src"))) {
        return p;
      }
    }
    throw new IllegalStateException("no pom.xml above " + start);
  }

  static Path resolve(String relative) {
    return root().resolve(relative);
  }

  /** Regular files directly under {@code dir} whose names end with {@code suffix}, sorted. */
  static List<Path> filesEndingWith(String dir, String suffix) {
    Path d = resolve(dir);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
