package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * The options of every job the runner publishes: where it reads and writes ({@link StoreOptions},
 * {@link LakeWritesOption}) and how ({@link RunOptions}). {@link CommonOptions} adds the window of
 * days; a job without one (update-abilities, positioned by its watermark) mixes this in alone.
 */
final class JobOptions {
  @Mixin
  StoreOptions store;

  @Mixin
  LakeWritesOption lakeWrites;

  @Mixin
  RunOptions run;

  /** The settings of {@code env} with these flags over their variables. */
  Settings settings(Map<String, String> env) {
    return store.settings(env, lakeWrites);
  }

  /** The flags as recorded in job_runs. */
  String describe() {
    return run.describe() + lakeWrites.describe();
  }
}
