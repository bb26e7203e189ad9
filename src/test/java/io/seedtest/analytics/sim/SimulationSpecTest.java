package io.seedtest.analytics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.SeedtestException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SimulationSpecTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    SimulationSpec s = SimulationSpec.realistic();
    assertThat(s.mode()).isEqualTo(SimulationSpec.Mode.REALISTIC);
    assertThat(s.students()).isEqualTo(2_000);
    assertThat(s.items()).isEqualTo(1_200);
    assertThat(s.topics()).isEqualTo(12);
    assertThat(s.startDay()).isEqualTo(LocalDate.of(2026, 9, 1));
    assertThat(s.days()).isEqualTo(91);
    assertThat(s.endDay()).isEqualTo(LocalDate.of(2026, 11, 30));
    assertThat(s.itemsPerStudent()).isEqualTo(60);
    assertThat(s.partitions()).isZero();

    SimulationSpec r = SimulationSpec.recovery(1000, 100, 7);
    assertThat(r.mode()).isEqualTo(SimulationSpec.Mode.RECOVERY);
    assertThat(r.students()).isEqualTo(1000);
    assertThat(r.items()).isEqualTo(100);
    assertThat(r.itemsPerStudent()).isEqualTo(60);
    assertThat(r.seed()).isEqualTo(7);
    assertThat(SimulationSpec.recovery(10, 20, 20, 1).itemsPerStudent()).isEqualTo(20);
  }

  @Test
  void badValuesFailWithOneClearLine() {
    assertThatThrownBy(() -> SimulationSpec.realistic().withStudents(0))
        .isInstanceOf(SeedtestException.class)
        .hasMessage("Simulation setting students=0 is invalid: expected a whole number from 1 to 50000000."
            + " Fix the generate option and run again.")
        .satisfies(e -> assertThat(((SeedtestException) e).exitCode()).isEqualTo(Errors.CONFIG));
    assertThatThrownBy(() -> SimulationSpec.realistic().withWindow(LocalDate.of(2026, 1, 1), 0))
        .hasMessageContaining("days=0");
    assertThatThrownBy(() -> SimulationSpec.realistic().withSessions(1.0, 10, 5))
        .hasMessageContaining("maxAnswersPerSession=5").hasMessageContaining("from minAnswersPerSession (10)");
    assertThatThrownBy(() -> SimulationSpec.recovery(100, 40, 1))
        .hasMessageContaining("itemsPerStudent=60").hasMessageContaining("at most the number of items (40)");
    assertThatThrownBy(() -> SimulationSpec.realistic().withItems(10).withTopics(12))
        .hasMessageContaining("items=10");
    assertThatThrownBy(() -> SimulationSpec.realistic().withSessions(0.5, 5, 25))
        .hasMessageContaining("meanSessionsPerActiveDay=0.5");
    assertThatThrownBy(() -> SimulationSpec.realistic().withPartitions(-1)).hasMessageContaining("partitions=-1");
    assertThat(SimulationSpec.realistic().withSeed(3).withSeed(3)).isEqualTo(SimulationSpec.realistic().withSeed(3));
  }

  @Test
  void sizingHitsTheTargetRoughly() {
    SimulationSpec sized = Simulator.sizedFor(SimulationSpec.realistic(), 1_000_000);
    // about 190 answers per student with the defaults
    assertThat(sized.students()).isBetween(3_500, 7_500);
    StudentSimulator sim = new StudentSimulator(sized, ItemBank.generate(sized));
    long answers = 0;
    for (int u = 1; u <= sized.students(); u++) {
      answers += sim.simulate(u).student().answers();
    }
    assertThat(answers).isBetween(900_000L, 1_100_000L);
  }
}
