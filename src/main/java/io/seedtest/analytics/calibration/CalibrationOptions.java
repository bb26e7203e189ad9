package io.seedtest.analytics.calibration;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.ItemDrift;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemPriors;
import io.seedtest.analytics.irt.ParameterBounds;
import io.seedtest.analytics.run.DateWindow;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * What a calibration run is asked to do: the data window's length, the model, priors on or off,
 * the minimum answers per item and the iteration cap. Everything else (grid, bounds, tolerances)
 * is {@link CalibrationSettings#defaults}.
 *
 * @param weeks window length in weeks, ending on the as-of day (ignored for an explicit
 *     --from/--to window)
 * @param model 3PL (default), 2PL or RASCH
 * @param priors the default item priors (c ~ Beta(6,26), log a ~ N(0, 0.5²), b ~ N(0, 3²)); off =
 *     plain marginal maximum likelihood as mirt's default
 * @param minAnswers items with fewer (first) answers in the window are not calibrated and flagged
 * @param maxIterations EM iteration cap; hitting it means converged = false
 * @param scope the item bank this calibration belongs to (--scope), or null: then the scope is
 *     derived from the data, the unnamed calibrations that calibrated one of the window's items
 *     ({@link PreviousCalibration}). A calibration links only to, and defers only to, calibrations
 *     of its own scope, so two exams in one database are never linked to each other (docs/irt.md,
 *     "Scopes")
 * @param driftFdr common items whose drift q-value (Benjamini–Hochberg) is below this are flagged
 *     and purged from the linking anchors (--drift-fdr, default 0.05; 0 = no purification), see
 *     {@link Linking}
 * @param rapidGuesses which answers are left out as rapid guesses ({@link RapidGuessRule#NT10} by
 *     default; {@link RapidGuessRule#OFF} with --keep-rapid-guesses)
 */
public record CalibrationOptions(int weeks, ItemModel model, boolean priors, int minAnswers,
    int maxIterations, String scope, double driftFdr, RapidGuessRule rapidGuesses) implements Serializable {

  public static final int DEFAULT_WEEKS = 26;
  public static final int DEFAULT_MAX_ITERATIONS = 500;

  public CalibrationOptions {
    if (weeks < 1 || weeks > 520) {
      throw bad("--weeks", weeks, "a whole number of weeks from 1 to 520");
    }
    if (model == null) {
      throw bad("--model", null, "3pl, 2pl or rasch");
    }
    if (minAnswers < 1) {
      throw bad("--min-answers", minAnswers, "a positive whole number");
    }
    if (maxIterations < 1 || maxIterations > 100_000) {
      throw bad("--max-iterations", maxIterations, "a whole number from 1 to 100000");
    }
    if (scope != null && !scope.matches("[a-z0-9][a-z0-9_.-]{0,39}")) {
      throw bad("--scope", scope, "a name of lower-case letters, digits, '.', '_' or '-' (at most 40)");
    }
    if (!(driftFdr >= 0 && driftFdr < 1)) {
      throw bad("--drift-fdr", driftFdr, "a false discovery rate from 0 (no drift purification) to below 1");
    }
    if (rapidGuesses == null) {
      rapidGuesses = RapidGuessRule.DEFAULT;
    }
  }

  /** At the default drift false discovery rate ({@link ItemDrift#DEFAULT_FDR}). */
  public CalibrationOptions(int weeks, ItemModel model, boolean priors, int minAnswers, int maxIterations,
      String scope) {
    this(weeks, model, priors, minAnswers, maxIterations, scope, ItemDrift.DEFAULT_FDR, RapidGuessRule.DEFAULT);
  }

  /** The platform's own item bank (no --scope). */
  public CalibrationOptions(int weeks, ItemModel model, boolean priors, int minAnswers, int maxIterations) {
    this(weeks, model, priors, minAnswers, maxIterations, null);
  }

  public static CalibrationOptions defaults() {
    return new CalibrationOptions(DEFAULT_WEEKS, ItemModel.THREE_PL, true,
        CalibrationSettings.DEFAULT_MIN_ANSWERS, DEFAULT_MAX_ITERATIONS);
  }

  public CalibrationOptions withModel(ItemModel m) {
    return new CalibrationOptions(weeks, m, priors, minAnswers, maxIterations, scope, driftFdr, rapidGuesses);
  }

  public CalibrationOptions withPriors(boolean p) {
    return new CalibrationOptions(weeks, model, p, minAnswers, maxIterations, scope, driftFdr, rapidGuesses);
  }

  public CalibrationOptions withWeeks(int w) {
    return new CalibrationOptions(w, model, priors, minAnswers, maxIterations, scope, driftFdr, rapidGuesses);
  }

  public CalibrationOptions withMinAnswers(int n) {
    return new CalibrationOptions(weeks, model, priors, n, maxIterations, scope, driftFdr, rapidGuesses);
  }

  public CalibrationOptions withMaxIterations(int n) {
    return new CalibrationOptions(weeks, model, priors, minAnswers, n, scope, driftFdr, rapidGuesses);
  }

  public CalibrationOptions withScope(String s) {
    return new CalibrationOptions(weeks, model, priors, minAnswers, maxIterations, s, driftFdr, rapidGuesses);
  }

  public CalibrationOptions withDriftFdr(double fdr) {
    return new CalibrationOptions(weeks, model, priors, minAnswers, maxIterations, scope, fdr, rapidGuesses);
  }

  public CalibrationOptions withRapidGuesses(RapidGuessRule rule) {
    return new CalibrationOptions(weeks, model, priors, minAnswers, maxIterations, scope, driftFdr, rule);
  }

  /** How the scope reads in messages. */
  public String scopeName() {
    return scope == null ? "the default scope (this window's item bank)" : "scope '" + scope + "'";
  }

  /** The scope a calibration id belongs to: the part before ':', null for the default scope. */
  public static String scopeOf(String calibrationId) {
    int colon = calibrationId.indexOf(':');
    return colon < 0 ? null : calibrationId.substring(0, colon);
  }

  /** The math core's settings for these options. */
  public CalibrationSettings settings() {
    CalibrationSettings s = CalibrationSettings.defaults(model)
        .withMinAnswersPerItem(minAnswers)
        .withMaxIterations(maxIterations);
    return priors ? s
        : s.withPriors(ItemPriors.none()).withBounds(ParameterBounds.maximumLikelihood());
  }

  /**
   * The observation window of a run. A single day (--date D, or the default yesterday) is the
   * as-of day and the window is the {@code weeks} weeks ending on it; an explicit --from/--to
   * range is taken as the window itself, as of its last day.
   */
  public DateWindow observationWindow(DateWindow runWindow) {
    if (!runWindow.from().equals(runWindow.to())) {
      return runWindow;
    }
    LocalDate asOf = runWindow.to();
    return new DateWindow(asOf.minusDays(7L * weeks - 1), asOf);
  }

  /** The model's code as stored: 3pl, 2pl, rasch. */
  public static String code(ItemModel m) {
    return switch (m) {
      case THREE_PL -> "3pl";
      case TWO_PL -> "2pl";
      case RASCH -> "rasch";
    };
  }

  public static ItemModel parseModel(String value) {
    String v = value == null ? "" : value.trim().toLowerCase();
    return switch (v) {
      case "3pl" -> ItemModel.THREE_PL;
      case "2pl" -> ItemModel.TWO_PL;
      case "rasch", "1pl" -> ItemModel.RASCH;
      default -> throw bad("--model", value, "3pl, 2pl or rasch");
    };
  }

  /**
   * The calibration's id: model, priors and window, so a rerun of the same calibration replaces
   * its own rows (idempotent) and different windows or models never collide. E.g.
   * {@code 3pl-2026-05-25..2026-11-22}, {@code 2pl-mle-2026-05-25..2026-11-22}; with a scope,
   * {@code lsat7:2pl-mle-2026-05-26..2026-06-01}.
   */
  public String calibrationId(DateWindow window) {
    return (scope == null ? "" : scope + ":") + code(model) + (priors ? "" : "-mle") + "-" + window.from() + ".."
        + window.to();
  }

  private static SeedtestException bad(String option, Object value, String expected) {
    return Errors.badSetting(option, String.valueOf(value), expected);
  }
}
