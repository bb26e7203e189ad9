package io.seedtest.analytics.cli;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.ability.UpdateAbilitiesJob;
import io.seedtest.analytics.ability.UpdateAbilitiesOptions;
import io.seedtest.analytics.ability.UpdateRule;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
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
  JobOptions job;

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
    Settings settings = quarantine.apply(job.settings(env));
    if (driftPerDay != null) {
      settings = settings.withIrtDriftPerDay(driftPerDay);
    }
    double drift = settings.irtDriftPerDay().orElse(UpdateRule.DEFAULT_DRIFT_PER_DAY);
    if (safetyLagMinutes < 0) {
      throw Errors.badSetting("--safety-lag-minutes", Long.toString(safetyLagMinutes), "a whole number of minutes >= 0");
    }
    CommonOptions.requirePositive("--max-sessions", maxSessions);
    UpdateAbilitiesOptions options = new UpdateAbilitiesOptions(drift, Duration.ofMinutes(safetyLagMinutes), maxSessions,
        keepRapidGuesses);
    String args = (job.describe() + " --drift-per-day " + drift + " --safety-lag-minutes " + safetyLagMinutes
        + " --max-sessions " + maxSessions + (keepRapidGuesses ? " --keep-rapid-guesses" : "")
        + quarantine.describe()).trim();
    // No date window: the job's position is its watermark, and its lock covers every run.
    JobLauncher.launch(job, settings, SparkSettings.load(env), null, args, s -> new UpdateAbilitiesJob(options));
    return 0;
  }
}
