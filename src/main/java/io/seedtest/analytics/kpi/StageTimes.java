package io.seedtest.analytics.kpi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Wall time of a job's stages, each ended by {@link #mark} right after the action that
 * materialises it: logged with the summary, read by the benchmark.
 */
public final class StageTimes {
  public record Stage(String name, double seconds) {}

  private final List<Stage> stages = new ArrayList<>();
  private long last = System.nanoTime();

  public void restart() {
    stages.clear();
    last = System.nanoTime();
  }

  public void mark(String name) {
    long now = System.nanoTime();
    stages.add(new Stage(name, (now - last) / 1e9));
    last = now;
  }

  public List<Stage> stages() {
    return Collections.unmodifiableList(stages);
  }

  public double total() {
    return stages.stream().mapToDouble(Stage::seconds).sum();
  }

  @Override
  public String toString() {
    return stages.stream().map(s -> String.format(Locale.ROOT, "%s %.1f s", s.name(), s.seconds()))
        .collect(Collectors.joining(", "));
  }
}
