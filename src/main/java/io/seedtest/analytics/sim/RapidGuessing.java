package io.seedtest.analytics.sim;

import io.seedtest.analytics.Errors;
import java.io.Serializable;

/**
 * Rapid guessers (issue 19): a share of the students answer a share of their answers without
 * reading the item — in a few seconds (lognormal, median {@value #MEDIAN_SECONDS} s, log-SD 0.5,
 * at most 8 s) and right with the item's chance probability c. Which students and which answers
 * come from a stream of their own ({@code Rand.RAPID}), drawn after the answer's ordinary draws, so
 * every other student's data, and the switch off, are exactly as without it.
 *
 * @param share share of the students who rapid-guess (0 = none, the default)
 * @param rate share of a rapid guesser's answers that are rapid guesses
 */
public record RapidGuessing(double share, double rate) implements Serializable {
  public static final RapidGuessing NONE = new RapidGuessing(0.0, 0.0);
  static final double MEDIAN_SECONDS = 2.5;

  public RapidGuessing {
    if (!(share >= 0 && share <= 1)) {
      throw Errors.badSimulationSetting("rapidGuessers", share, "a share of the students from 0 to 1");
    }
    if (share > 0 && !(rate > 0 && rate <= 1)) {
      throw Errors.badSimulationSetting("rapidGuessRate", rate, "a share of a guesser's answers above 0, at most 1");
    }
  }

  public boolean any() {
    return share > 0;
  }
}
