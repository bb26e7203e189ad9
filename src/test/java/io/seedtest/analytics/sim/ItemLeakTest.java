package io.seedtest.analytics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The leaked-items switch: only the leaked items after the leak day answer differently. */
class ItemLeakTest {
  private static final SimulationSpec CLEAN = SimulationSpec.recovery(4_000, 200, 40, 7L)
      .withWindow(LocalDate.parse("2026-11-01"), 40);
  private static final LocalDate DAY = LocalDate.parse("2026-11-21");
  private static final SimulationSpec LEAKY = CLEAN.withLeak(new ItemLeak(10, 1.0, DAY));

  @Test
  void tenItemsSpreadOverTheBankAreLeaked() {
    ItemBank bank = ItemBank.generate(LEAKY);
    int leaked = 0;
    for (int j = 0; j < bank.size(); j++) {
      leaked += bank.leaked(j) ? 1 : 0;
    }
    assertThat(leaked).isEqualTo(10);
    assertThat(bank.leaked(0)).isTrue();
    assertThat(bank.leaked(20)).isTrue();
    assertThat(bank.leaked(1)).isFalse();
    assertThat(bank.b(0, DAY.toEpochDay())).isEqualTo(bank.b(0) - 1.0);
    assertThat(bank.b(0, DAY.toEpochDay() - 1)).isEqualTo(bank.b(0));
    assertThat(bank.b(1, DAY.toEpochDay())).isEqualTo(bank.b(1));
  }

  @Test
  void onlyLeakedItemsAfterTheLeakDayChangeAndTheyGetEasier() {
    StudentSimulator clean = new StudentSimulator(CLEAN, ItemBank.generate(CLEAN));
    ItemBank bank = ItemBank.generate(LEAKY);
    StudentSimulator leaky = new StudentSimulator(LEAKY, bank);
    long leakDay = DAY.toEpochDay() - CLEAN.startDay().toEpochDay();
    int changed = 0;
    int changedOutside = 0;
    int correctBefore = 0;
    int correctAfter = 0;
    for (long u = 1; u <= CLEAN.students(); u++) {
      StudentHistory.Session a = clean.simulate(u).sessions().get(0);
      StudentHistory.Session b = leaky.simulate(u).sessions().get(0);
      assertThat(b.items()).isEqualTo(a.items());
      assertThat(b.responseTimeMs()).isEqualTo(a.responseTimeMs());
      for (int k = 0; k < a.items().length; k++) {
        boolean differs = a.correct()[k] != b.correct()[k];
        boolean leakedNow = bank.leaked(a.items()[k]) && a.day() >= leakDay;
        changed += differs ? 1 : 0;
        changedOutside += differs && !leakedNow ? 1 : 0;
        if (leakedNow) {
          correctBefore += a.correct()[k] ? 1 : 0;
          correctAfter += b.correct()[k] ? 1 : 0;
        }
      }
    }
    assertThat(changedOutside).isZero();
    assertThat(changed).isPositive();
    // Only wrong → right: the same uniform draw against a higher probability.
    assertThat(correctAfter - correctBefore).isEqualTo(changed);
  }

  @Test
  void aLeakNeedsItsDayAndFewerItemsThanTheBank() {
    assertThatThrownBy(() -> new ItemLeak(5, 0.8, null)).hasMessageContaining("leakDay");
    assertThatThrownBy(() -> CLEAN.withLeak(new ItemLeak(201, 0.8, DAY))).hasMessageContaining("leakItems");
    assertThat(SimulationSpec.realistic().leak()).isEqualTo(ItemLeak.NONE);
  }
}
