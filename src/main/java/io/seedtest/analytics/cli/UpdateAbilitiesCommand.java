package io.seedtest.analytics.cli;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.session.UpdateAbilitiesJob;
import io.seedtest.analytics.session.UpdateAbilitiesOptions;
import io.seedtest.analytics.session.UpdateRule;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = UpdateAbilitiesJob.NAME, mixinStandardHelpOptions = true,
    description = {"Apply the session-end theta update to every exam session finished since the last run:",
        "prior N(theta_prev, SE^2 + drift x days), EAP over the session's answers with the current",
        "mirt_item_params; upserts mirt_ability, mirt_ability_history and session_ability_updates and advances",
        "the watermark in one transaction (a session is never applied twice). Scheduled every 10 minutes.",
        "Without DATABASE_URL: replays the lake's sessions after each student's calibration theta.",
        "See docs/irt-online.md."})
final class UpdateAbilitiesCommand implements Callable<Integer> {
  @Spec
  CommandSpec command;

  @Mixin
  StoreOptions store;

  @Mixin
  LakeWritesOption lakeWrites;

  @Mixin
  RunOptions run;

  @Mixin
  QuarantineOptions quarantine;

  @Option(names = "--drift-per-day", paramLabel = "VAR",
      description = "Variance of theta's drift per day added to the prior (default: SEEDTEST_IRT_DRIFT_PER_DAY, else 0.002).")
  Double driftPerDay;

  @Option(names = "--safety-lag-minutes", paramLabel = "MIN",
      description = "How long an exam_results insert may stay uncommitted and still be picked up (default ${DEFAULT-VALUE}).",
      defaultValue = "10")
  long safetyLagMinutes;

  @Option(names = "--max-sessions", paramLabel = "N",
      description = "At most N exam_results rows past the watermark per run (default ${DEFAULT-VALUE}).",
      defaultValue = "" + UpdateAbilitiesOptions.DEFAULT_MAX_SESSIONS)
  int maxSessions;

  @Option(names = "--keep-rapid-guesses",
      description = "Use every answer. By default answers faster than their item's stored rapid-guess threshold "
          + "(mirt_item_params.rapid_guess_ms, the calibration's NT15) are counted and left out (docs/irt.md, "
          + "\"Rapid guesses\").")
  boolean keepRapidGuesses;

  @Override
  public Integer call() {
    Map<String, String> env = SeedtestCli.environment(command);
    Settings settings = quarantine.apply(store.settings(env, lakeWrites));
    if (driftPerDay != null) {
      settings = settings.withIrtDriftPerDay(driftPerDay);
    }
    double drift = settings.irtDriftPerDay().orElse(UpdateRule.DEFAULT_DRIFT_PER_DAY);
    if (safetyLagMinutes < 0) {
      throw io.seedtest.analytics.Errors.badSetting("--safety-lag-minutes", Long.toString(safetyLagMinutes),
          "a whole number of minutes >= 0");
    }
    if (maxSessions < 1) {
      throw io.seedtest.analytics.Errors.badSetting("--max-sessions", Integer.toString(maxSessions),
          "a positive whole number");
    }
    UpdateAbilitiesOptions options = new UpdateAbilitiesOptions(drift, Duration.ofMinutes(safetyLagMinutes), maxSessions,
        keepRapidGuesses);
    store.migrateIfAsked(settings);
    UpdateAbilitiesJob job = new UpdateAbilitiesJob(options);
    SparkSession spark = SparkSessions.getOrCreate("seedtest " + job.name(), SparkSettings.load(env));
    String args = (run.describe() + " --drift-per-day " + drift + " --safety-lag-minutes " + safetyLagMinutes
        + " --max-sessions " + maxSessions + (keepRapidGuesses ? " --keep-rapid-guesses" : "") + lakeWrites.describe()
        + quarantine.describe()).trim();
    // No date window: the job's position is its watermark, and its lock covers every run.
    JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), null, run.dryRun, run.strict, args, settings, spark,
        RunContext.NONE));
    return 0;
  }
}
