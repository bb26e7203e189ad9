package io.seedtest.analytics.kpi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Wall time of one run's stages, each ended by {@link #mark} right after the action that
 * materialises it: logged with the summary, and handed to the run's {@link Listener} as it ends
 * (the benchmark's stage hook), so a job keeps no timing state between runs.
 */
public final class StageTimes {
  public record Stage(String name, double seconds) {}

  /** Told of each stage as it ends; a job's default is {@link #NONE}. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = stage -> {};

    void ended(Stage stage);
  }

  private final List<Stage> stages = new ArrayList<>();
  private final Listener listener;
  private long last = System.nanoTime();

  /** Starts the clock of a run's first stage. */
  public StageTimes(Listener listener) {
    this.listener = listener;
  }

  public void mark(String name) {
    long now = System.nanoTime();
    Stage stage = new Stage(name, (now - last) / 1e9);
    stages.add(stage);
    last = now;
    listener.ended(stage);
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
