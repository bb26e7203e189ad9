package io.seedtest.analytics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The rapid-guessing and misfit-items switches (issue 19): only what they name changes, and the
 * simulator says which.
 */
class InjectedEffectsTest {
  private static final SimulationSpec CLEAN = SimulationSpec.recovery(4_000, 200, 40, 7L)
      .withWindow(LocalDate.parse("2026-11-01"), 40);
  private static final SimulationSpec GUESSING = CLEAN.withRapidGuessing(new RapidGuessing(0.2, 0.4));
  private static final SimulationSpec MISFIT = CLEAN.withMisfitItems(8);

  /**
   * One student in five guesses, 40% of her answers: 20% of the students and 8% of all answers
   * within sampling error. Every other answer (students who do not guess, and the guessers'
   * genuine answers) is exactly as without the switch; a guess takes at most 8 s.
   */
  @Test
  void rapidGuessersGuessTheirShareAndNothingElseChanges() {
    ItemBank bank = ItemBank.generate(CLEAN);
    StudentSimulator clean = new StudentSimulator(CLEAN, bank);
    StudentSimulator guessing = new StudentSimulator(GUESSING, ItemBank.generate(GUESSING));
    int guessers = 0;
    int answers = 0;
    int guesses = 0;
    int guessesRight = 0;
    double chance = 0;
    for (long u = 1; u <= CLEAN.students(); u++) {
      StudentHistory.Session a = clean.simulate(u).sessions().get(0);
      StudentHistory.Session b = guessing.simulate(u).sessions().get(0);
      assertThat(a.rapid()).isNull();
      assertThat(b.items()).isEqualTo(a.items());
      guessers += b.rapid() != null ? 1 : 0;
      for (int k = 0; k < a.size(); k++) {
        answers++;
        if (b.rapid(k)) {
          guesses++;
          guessesRight += b.correct()[k] ? 1 : 0;
          chance += bank.c(a.items()[k]);
          assertThat(b.responseTimeMs()[k]).isBetween(300, 8_000);
          assertThat(b.hints()[k]).isZero();
        } else {
          assertThat(b.correct()[k]).isEqualTo(a.correct()[k]);
          assertThat(b.responseTimeMs()[k]).isEqualTo(a.responseTimeMs()[k]);
          assertThat(b.hints()[k]).isEqualTo(a.hints()[k]);
        }
      }
    }
    assertThat(guessers / (double) CLEAN.students()).isCloseTo(0.2, within(0.02));
    assertThat(guesses / (double) answers).isCloseTo(0.2 * 0.4, within(0.01));
    // right with the item's chance c (mean c about 0.175)
    assertThat(guessesRight / (double) guesses).isCloseTo(chance / guesses, within(0.02));
  }

  /** K items spread over the bank, none of them leaked, follow a curve that falls again above b. */
  @Test
  void misfitItemsAreNamedApartFromLeakedOnesAndTheirCurveIsNotMonotone() {
    ItemBank bank = ItemBank.generate(MISFIT.withLeak(new ItemLeak(8, 1.0, LocalDate.parse("2026-11-21"))));
    long day = CLEAN.startDay().toEpochDay();
    int misfit = 0;
    for (int j = 0; j < bank.size(); j++) {
      if (bank.misfit(j)) {
        misfit++;
        assertThat(bank.leaked(j)).isFalse();
        assertThat(bank.p(j, bank.b(j), day)).isCloseTo(1.0, within(1e-12));
        assertThat(bank.p(j, bank.b(j) + 3, day)).isLessThan(bank.p(j, bank.b(j) + 1, day));
      } else {
        assertThat(bank.p(j, 0.3, day)).isEqualTo(bank.p(j, 0.3));
      }
    }
    assertThat(misfit).isEqualTo(8);
    assertThat(bank.misfit(12)).as("stride 25, half a stride after the leaked item 0").isTrue();
  }

  @Test
  void theSwitchesAreOffByDefaultAndCheckTheirValues() {
    assertThat(SimulationSpec.realistic().rapidGuessing()).isEqualTo(RapidGuessing.NONE);
    assertThat(SimulationSpec.realistic().misfitItems()).isZero();
    assertThatThrownBy(() -> new RapidGuessing(1.5, 0.3)).hasMessageContaining("rapidGuessers");
    assertThatThrownBy(() -> new RapidGuessing(0.2, 0)).hasMessageContaining("rapidGuessRate");
    assertThatThrownBy(() -> CLEAN.withMisfitItems(201)).hasMessageContaining("misfitItems");
  }
}
