package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.sim.SimulationSpec;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The options of a job that {@link JobLauncher} runs over a window of days: where it reads and
 * writes and how ({@link JobOptions}), and which days ({@link WindowOptions}).
 * A job that checks the quarantined share or gates the churn model adds {@link QuarantineOptions}
 * or {@link ChurnGateOptions} as its own mixins and hands them over with {@link #with}, so no
 * command offers a flag that does nothing for it. Flags override the environment (see {@link Settings}).
 */
public final class CommonOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Mixin
  JobOptions job;

  @Mixin
  WindowOptions days;

  private QuarantineOptions quarantine;
  private ChurnGateOptions churnGate;

  /** These options with the command's --max-quarantine-share. */
  CommonOptions with(QuarantineOptions q) {
    this.quarantine = q;
    return this;
  }

  /** These options with the command's --churn-min-auc-gain. */
  CommonOptions with(ChurnGateOptions gate) {
    this.churnGate = gate;
    return this;
  }

  /** The environment the CLI was given. */
  Map<String, String> env() {
    return SeedtestCli.environment(command);
  }

  public Settings settings() {
    Settings s = job.settings(env());
    s = quarantine == null ? s : quarantine.apply(s);
    return churnGate == null ? s : churnGate.apply(s);
  }

  SparkSettings spark() {
    return SparkSettings.load(env());
  }

  /** --date, or --from/--to, or yesterday (UTC). */
  public DateWindow window() {
    return days.window();
  }

  /** The arguments as recorded in job_runs: never the database URL (it may hold a password). */
  public String describe(String extra) {
    String b = days.describe() + job.describe()
        + (quarantine == null ? "" : quarantine.describe()) + (churnGate == null ? "" : churnGate.describe())
        + (extra != null && !extra.isEmpty() ? " " + extra : "");
    return b.trim();
  }

  /** Fails with the one-line bad-setting error, before any work starts, unless {@code value} is at least 1. */
  static void requirePositive(String flag, long value) {
    if (value < 1) {
      throw Errors.badSetting(flag, Long.toString(value), "a positive whole number");
    }
  }

  /** The same for a simulated span in days (the simulator's own bounds, checked before Spark starts). */
  static void requireSimulatedDays(int days) {
    if (days < 1 || days > SimulationSpec.MAX_DAYS) {
      throw Errors.badSetting("--days", Integer.toString(days), "a whole number from 1 to " + SimulationSpec.MAX_DAYS);
    }
  }
}
