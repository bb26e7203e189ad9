package io.seedtest.analytics.cli;

import io.seedtest.analytics.calibration.CalibrateIrtJob;
import io.seedtest.analytics.calibration.CalibrationOptions;
import io.seedtest.analytics.calibration.RapidGuessRule;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.ItemDrift;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = CalibrateIrtJob.NAME, mixinStandardHelpOptions = true,
    description = {"Calibrate the item bank (3PL/2PL/Rasch IRT by distributed marginal",
        "maximum likelihood EM), link it to the previous calibration's scale",
        "(Stocking-Lord) and score every student (EAP).",
        "--date D is the as-of day: the window is the --weeks weeks ending on D;",
        "--from/--to give the window explicitly. Writes calibrations,",
        "mirt_item_params(+_history) and mirt_ability(+_history); a rerun of the",
        "same window changes nothing. See docs/irt.md."})
final class CalibrateIrtCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Mixin
  QuarantineOptions quarantine;

  @Option(names = "--weeks", defaultValue = "" + CalibrationOptions.DEFAULT_WEEKS, paramLabel = "N",
      description = "Length of the answer window in weeks, ending on the as-of day (default ${DEFAULT-VALUE}).")
  int weeks;

  @Option(names = "--model", defaultValue = "3pl", paramLabel = "MODEL",
      description = "3pl (default), 2pl or rasch.")
  String model;

  @Option(names = "--no-priors",
      description = "Plain marginal maximum likelihood (as mirt's default) instead of the default item priors.")
  boolean noPriors;

  @Option(names = "--min-answers", defaultValue = "" + CalibrationSettings.DEFAULT_MIN_ANSWERS, paramLabel = "N",
      description = "Items with fewer answers in the window are not calibrated, only flagged (default ${DEFAULT-VALUE}).")
  int minAnswers;

  @Option(names = "--max-iterations", defaultValue = "" + CalibrationOptions.DEFAULT_MAX_ITERATIONS,
      paramLabel = "N", description = "EM iteration cap; reaching it is reported as not converged (default ${DEFAULT-VALUE}).")
  int maxIterations;

  @Option(names = "--scope", paramLabel = "NAME",
      description = "The item bank (e.g. an imported exam) this calibration belongs to: it links only to, and "
          + "defers only to, calibrations of the same scope; its id is NAME:<model>-<window>. Without it: the "
          + "calibrations (without a scope) that calibrated one of the window's items (docs/irt.md, \"Scopes\").")
  String scope;

  @Option(names = "--drift-fdr", defaultValue = "" + ItemDrift.DEFAULT_FDR, paramLabel = "Q",
      description = "Common items whose drift q-value (Benjamini-Hochberg over the Wald tests of a and b against "
          + "the previous calibration) is below Q are flagged and left out of the linking anchors; 0 = no "
          + "purification (default ${DEFAULT-VALUE}; docs/irt.md, \"Item drift\").")
  double driftFdr;

  @Option(names = "--keep-rapid-guesses",
      description = "Use every answer. By default answers faster than 15%% of their item's mean response time "
          + "(at most 10 s; NT15) are rapid guesses: counted and left out (docs/irt.md, \"Rapid guesses\"). "
          + "Either way each item's NT15 threshold is stored (mirt_item_params.rapid_guess_ms) for the features "
          + "and the session-end update.")
  boolean keepRapidGuesses;

  @Override
  public Integer call() {
    CalibrationOptions options = new CalibrationOptions(weeks, CalibrationOptions.parseModel(model), !noPriors,
        minAnswers, maxIterations, scope, driftFdr, keepRapidGuesses ? RapidGuessRule.OFF : RapidGuessRule.DEFAULT);
    String extra = "--weeks " + weeks + " --model " + CalibrationOptions.code(options.model())
        + (noPriors ? " --no-priors" : "") + " --min-answers " + minAnswers + " --max-iterations " + maxIterations
        + (scope == null ? "" : " --scope " + scope)
        + (driftFdr == ItemDrift.DEFAULT_FDR ? "" : " --drift-fdr " + driftFdr)
        + (keepRapidGuesses ? " --keep-rapid-guesses" : "");
    JobLauncher.launch(common.with(quarantine), extra, settings -> new CalibrateIrtJob(AttemptSource.from(settings), options));
    return 0;
  }
}
