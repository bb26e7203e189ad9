package io.seedtest.analytics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-student process, without Spark: fast enough to check its statistics on thousands. */
class StudentSimulatorTest {
  private static final SimulationSpec SPEC = SimulationSpec.realistic().withStudents(3_000);
  private static ItemBank bank;
  private static List<StudentHistory> population;

  @BeforeAll
  static void simulate() {
    bank = ItemBank.generate(SPEC);
    StudentSimulator sim = new StudentSimulator(SPEC, bank);
    population = new ArrayList<>();
    for (int u = 1; u <= SPEC.students(); u++) {
      population.add(sim.simulate(u));
    }
  }

  @Test
  void aStudentDependsOnlyOnSeedAndId() {
    StudentSimulator fresh = new StudentSimulator(SPEC, ItemBank.generate(SPEC));
    fresh.simulate(77); // state of a previous student must not leak into the next
    assertThat(fingerprint(fresh.simulate(42))).isEqualTo(fingerprint(population.get(41)));
    StudentSimulator otherSeed = new StudentSimulator(SPEC.withSeed(SPEC.seed() + 1),
        ItemBank.generate(SPEC.withSeed(SPEC.seed() + 1)));
    assertThat(fingerprint(otherSeed.simulate(42))).isNotEqualTo(fingerprint(population.get(41)));
  }

  @Test
  void itemBankFollowsItsDistributions() {
    assertThat(bank.size()).isEqualTo(1_200);
    assertThat(Arrays.stream(bank.c).min().getAsDouble()).isGreaterThanOrEqualTo(0.10);
    assertThat(Arrays.stream(bank.c).max().getAsDouble()).isLessThanOrEqualTo(0.25);
    assertThat(Arrays.stream(bank.a).map(Math::log).average().getAsDouble()).isCloseTo(0.0, within(0.05));
    Set<String> topics = new HashSet<>();
    for (int j = 0; j < bank.size(); j++) {
      topics.add(bank.topicOf(j));
    }
    assertThat(topics).hasSize(12).contains("algebra", "geometry", "logic");
    for (int[] pool : bank.byTopic) {
      assertThat(pool.length).isGreaterThanOrEqualTo(SPEC.maxAnswersPerSession());
    }
  }

  @Test
  void sessionsAreWellFormed() {
    Set<Long> sessionIds = new HashSet<>();
    Set<Long> resultIds = new HashSet<>();
    for (StudentHistory h : population) {
      for (StudentHistory.Session s : h.sessions()) {
        assertThat(sessionIds.add(s.sessionId())).isTrue();
        assertThat(resultIds.add(s.resultId())).isTrue();
        assertThat(s.sessionId()).isPositive();
        assertThat(s.size()).isBetween(1, SPEC.maxAnswersPerSession());
        assertThat(Arrays.stream(s.items()).distinct().count()).isEqualTo(s.size());
        LocalDate day = SPEC.startDay().plusDays(s.day());
        assertThat(utcDay(s.startedAt())).isEqualTo(day);
        assertThat(utcDay(s.finishedAt())).isEqualTo(day);
        long previous = s.startedAt();
        for (int k = 0; k < s.size(); k++) {
          assertThat(s.answeredAt()[k]).isGreaterThan(previous);
          previous = s.answeredAt()[k];
          assertThat(s.responseTimeMs()[k]).isBetween(1_000, 900_000);
          assertThat(s.hints()[k]).isBetween(0, 3);
        }
        assertThat(s.finishedAt()).isGreaterThan(previous);
      }
    }
    assertThat(sessionIds.size()).isGreaterThan(10_000);
  }

  @Test
  void sessionsOfADayDoNotOverlapAndMostHaveFullLength() {
    long full = 0;
    long all = 0;
    for (StudentHistory h : population) {
      StudentHistory.Session previous = null;
      for (StudentHistory.Session s : h.sessions()) {
        if (previous != null) {
          assertThat(s.startedAt()).isGreaterThan(previous.finishedAt());
        }
        previous = s;
        all++;
        if (s.size() >= SPEC.minAnswersPerSession()) {
          full++;
        }
      }
    }
    assertThat((double) full / all).isGreaterThan(0.99);
  }

  @Test
  void abilityGrowsWithPractice() {
    double gainHeavy = 0;
    int heavy = 0;
    double gainLight = 0;
    int light = 0;
    for (StudentHistory h : population) {
      StudentHistory.Student s = h.student();
      double gain = s.finalTheta() - s.theta0();
      assertThat(gain).isGreaterThanOrEqualTo(0.0);
      if (s.answers() >= 300) {
        gainHeavy += gain;
        heavy++;
      } else if (s.answers() <= 50) {
        gainLight += gain;
        light++;
      }
      // the day path: gains on practice days, slow forgetting on other days, never below θ0
      double before = s.theta0();
      for (StudentHistory.Day d : h.days()) {
        if (d.active()) {
          assertThat(d.theta()).isGreaterThan(before);
        } else if (!d.churned()) {
          assertThat(d.theta()).isLessThanOrEqualTo(before).isGreaterThanOrEqualTo(s.theta0());
        }
        before = d.theta();
      }
    }
    assertThat(heavy).isGreaterThan(100);
    assertThat(gainHeavy / heavy).isGreaterThan(0.5);
    assertThat(gainLight / light).isLessThan(0.25);
  }

  @Test
  void correctnessFollowsThe3plAtTheTrueAbility() {
    double observed = 0;
    double expected = 0;
    double variance = 0;
    for (StudentHistory h : population) {
      for (StudentHistory.Session s : h.sessions()) {
        for (int k = 0; k < s.size(); k++) {
          double p = bank.p(s.items()[k], s.theta()[k]);
          expected += p;
          variance += p * (1 - p);
          observed += s.correct()[k] ? 1 : 0;
        }
      }
    }
    assertThat(Math.abs(observed - expected)).isLessThan(4 * Math.sqrt(variance));
  }

  @Test
  void churnFollowsTheStoredHazardAndEndsAllActivity() {
    double hazardSum = 0;
    double hazardVar = 0;
    long churned = 0;
    for (StudentHistory h : population) {
      StudentHistory.Student s = h.student();
      List<StudentHistory.Day> days = h.days();
      assertThat(days.get(0).day()).isEqualTo(s.joinDay());
      assertThat(days.get(0).active()).isTrue();
      for (int i = 0; i < days.size(); i++) {
        StudentHistory.Day d = days.get(i);
        assertThat(d.day()).isEqualTo(s.joinDay() + i);
        if (i > 0) {
          assertThat(d.churnHazard()).isBetween(0.0, 1.0).isPositive();
          hazardSum += d.churnHazard();
          hazardVar += d.churnHazard() * (1 - d.churnHazard());
        }
      }
      if (s.churnDay() >= 0) {
        churned++;
        StudentHistory.Day last = days.get(days.size() - 1);
        assertThat(last.churned()).isTrue();
        assertThat(last.day()).isEqualTo(s.churnDay());
        assertThat(last.active()).isFalse();
        assertThat(h.sessions()).allSatisfy(x -> assertThat(x.day()).isLessThan(s.churnDay()));
      } else {
        assertThat(days).noneMatch(StudentHistory.Day::churned);
        assertThat(days.get(days.size() - 1).day()).isEqualTo(SPEC.days() - 1);
      }
    }
    // the stored hazards are the ones used: expected churn count = sum of hazards over days at risk
    assertThat(Math.abs(churned - hazardSum)).isLessThan(4 * Math.sqrt(hazardVar));
    assertThat((double) churned / population.size()).isBetween(0.3, 0.7);
  }

  @Test
  void someStudentsTakeABreakOfAWeekOrMoreAndReturn() {
    long returned = population.stream().filter(h -> {
      int last = -1;
      for (StudentHistory.Day d : h.days()) {
        if (d.active()) {
          if (last >= 0 && d.day() - last > 7) {
            return true;
          }
          last = d.day();
        }
      }
      return false;
    }).count();
    assertThat((double) returned / population.size()).isBetween(0.10, 0.60);
  }

  @Test
  void hintsAndResponseTimesTrackDifficulty() {
    double[] hintSum = new double[2];
    long[] n = new long[2];
    List<Integer> easyRt = new ArrayList<>();
    List<Integer> hardRt = new ArrayList<>();
    for (StudentHistory h : population.subList(0, 1_000)) {
      for (StudentHistory.Session s : h.sessions()) {
        for (int k = 0; k < s.size(); k++) {
          double p = bank.p(s.items()[k], s.theta()[k]);
          int bucket = p < 0.4 ? 0 : p > 0.8 ? 1 : -1;
          if (bucket >= 0 && s.hints()[k] == 0) {
            (bucket == 0 ? hardRt : easyRt).add(s.responseTimeMs()[k]);
          }
          if (bucket >= 0) {
            hintSum[bucket] += s.hints()[k];
            n[bucket]++;
          }
        }
      }
    }
    assertThat(hintSum[0] / n[0]).isGreaterThan(2 * hintSum[1] / n[1]);
    assertThat(median(hardRt)).isGreaterThan(median(easyRt));
    assertThat(median(easyRt)).isBetween(10_000, 120_000);
  }

  @Test
  void theGoalShortcutDrawsTheSameGoalAsTheHistory() {
    StudentSimulator sim = new StudentSimulator(SPEC, bank);
    for (int u = 1; u <= 500; u++) {
      assertThat(sim.goal(u)).isEqualTo(population.get(u - 1).goal());
    }
  }

  @Test
  void goalsAreSetForMostStudents() {
    long withGoal = population.stream().filter(h -> h.goal() != null).count();
    assertThat((double) withGoal / population.size()).isBetween(0.75, 0.95);
    for (StudentHistory h : population) {
      if (h.goal() != null) {
        assertThat(h.goal().targetTheta()).isGreaterThan(h.student().theta0());
        assertThat(h.goal().goalDay()).isBetween(h.student().joinDay() + 30, h.student().joinDay() + 120);
      }
    }
  }

  @Test
  void recoveryStudentsAnswerExactlyTheirItemsOnce() {
    SimulationSpec spec = SimulationSpec.recovery(4_000, 200, 11);
    ItemBank items = ItemBank.generate(spec);
    StudentSimulator sim = new StudentSimulator(spec, items);
    int[] exposure = new int[items.size()];
    for (int u = 1; u <= spec.students(); u++) {
      StudentHistory h = sim.simulate(u);
      assertThat(h.sessions()).hasSize(1);
      StudentHistory.Session s = h.sessions().get(0);
      assertThat(s.size()).isEqualTo(60);
      assertThat(Arrays.stream(s.items()).distinct().count()).isEqualTo(60);
      assertThat(Arrays.stream(s.theta()).distinct().toArray()).containsExactly(h.student().theta0());
      assertThat(h.student().churnDay()).isEqualTo(-1);
      assertThat(h.goal()).isNull();
      assertThat(utcDay(s.finishedAt())).isEqualTo(spec.startDay().plusDays(s.day()));
      for (int j : s.items()) {
        exposure[j]++;
      }
    }
    // drawn uniformly: each item about 4000 * 60 / 200 = 1200 times (sd ≈ 33)
    assertThat(Arrays.stream(exposure).min().getAsInt()).isGreaterThan(1_050);
    assertThat(Arrays.stream(exposure).max().getAsInt()).isLessThan(1_350);
  }

  @Test
  void churnHazardAtTheReferencePointIsDocumented() {
    assertThat(ChurnHazard.daily(0.30, 0.65, 0, 30, false)).isCloseTo(0.0067, within(0.0001));
    assertThat(ChurnHazard.daily(0.10, 0.40, 10, 3, true))
        .isGreaterThan(10 * ChurnHazard.daily(0.60, 0.80, 0, 30, false));
  }

  @Test
  void responsesJsonHasTheContractShape() {
    long at = Instant.parse("2026-11-25T09:14:03Z").getEpochSecond();
    StudentHistory.Session s = new StudentHistory.Session(1, 2, 0, 0, 100, new int[] {16, 3},
        new boolean[] {true, false}, new int[] {41250, 900}, new int[] {0, 2}, new long[] {at, at + 7},
        new double[] {0, 0});
    String json = ResponsesJson.of(s, bank);
    assertThat(json).isEqualTo("[{\"item_id\": 17, \"topic\": \"" + bank.topicOf(16)
        + "\", \"correct\": true, \"response_time_ms\": 41250, \"hints_used\": 0, \"answered_at\": \"2026-11-25T09:14:03Z\"}, "
        + "{\"item_id\": 4, \"topic\": \"" + bank.topicOf(3)
        + "\", \"correct\": false, \"response_time_ms\": 900, \"hints_used\": 2, \"answered_at\": \"2026-11-25T09:14:10Z\"}]");
    StringBuilder b = new StringBuilder();
    ResponsesJson.string(b, "a\"b\\c\n\u0001");
    assertThat(b.toString()).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
  }

  private static int median(List<Integer> xs) {
    List<Integer> sorted = new ArrayList<>(xs);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static LocalDate utcDay(long epochSecond) {
    return LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  private static String fingerprint(StudentHistory h) {
    StringBuilder b = new StringBuilder(h.student().toString()).append(h.goal()).append(h.days());
    for (StudentHistory.Session s : h.sessions()) {
      b.append(s.sessionId()).append(Arrays.toString(s.items())).append(Arrays.toString(s.correct()))
          .append(Arrays.toString(s.responseTimeMs())).append(Arrays.toString(s.hints()))
          .append(Arrays.toString(s.answeredAt()));
    }
    return b.toString();
  }
}
