package io.seedtest.analytics.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a benchmark client in its own JVM (this JVM's java and classpath), so that client and
 * server share no heap, JIT or GC, and reads the one {@code RESULT key=value ...} line it prints;
 * its other output is passed on to stderr, prefixed.
 */
public final class SeparateJvm {
  private SeparateJvm() {}

  /**
   * @param env extra environment of the child (secrets go here, never into {@code args}: argv is
   *     visible to every local user in {@code ps})
   */
  public static Map<String, String> run(Class<?> main, String heap, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heap,
        "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          result = line;
        } else {
          System.err.println(main.getSimpleName() + ": " + line);
        }
      }
    }
    int exit = p.waitFor();
    if (exit != 0 || result == null) {
      throw new IllegalStateException(main.getSimpleName() + " failed (exit " + exit + ")");
    }
    return parseResult(result);
  }

  /** The {@code key=value} pairs of a {@code RESULT ...} line. */
  public static Map<String, String> parseResult(String line) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : line.substring("RESULT ".length()).trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      m.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return m;
  }
}
