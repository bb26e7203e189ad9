package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.irt.LogisticResponse;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class RecommenderTest {
  private static final NormalDistribution PHI = new NormalDistribution(null, 0, 1);
  private static final List<TopicWeek> TOPICS = List.of(new TopicWeek("algebra", 5, 4, 5, 4, 20, 16),
      new TopicWeek("geometry", 5, 1, 5, 2, 20, 6), new TopicWeek("logic", 1, 0, 0, 0, 1, 0));
  private final ItemPool pool = ReportFixtures.pool(90, "algebra", "geometry", "logic");

  @Test
  void withAnExactThetaInBandItemsOfTheWeakestTopicRankedByInformation() {
    // θ̂ exact and no item SEs: every in-band item is certainly in the band (q = 1), so information decides
    List<Recommendation> recs = new Recommender(pool, 5).recommend(0.0, 0.0, TOPICS, Set.of());
    assertThat(recs).hasSize(5).allSatisfy(r -> {
      assertThat(r.kind()).isEqualTo(Recommendation.ITEM);
      assertThat(r.pSuccess()).isBetween(Recommender.BAND_LOW, Recommender.BAND_HIGH);
      assertThat(r.pSuccess()).isEqualTo(LogisticResponse.probability(1.2, pool.b[(int) (r.itemId() - 1)], 0.2, 0.0));
    });
    // geometry is weakest (6/20); logic's one wrong answer is shrunk toward her overall accuracy
    assertThat(recs.get(0).topic()).isEqualTo("geometry");
    assertThat(recs).extracting(Recommendation::information).isSortedAccordingTo((x, y) -> Double.compare(y, x));
  }

  @Test
  void anItemJustAnsweredIsNeverRecommended() {
    List<Recommendation> first = new Recommender(pool, 5).recommend(0.0, 0.0, TOPICS, Set.of());
    Set<Long> answered = Set.of(first.get(0).itemId(), first.get(1).itemId());
    List<Recommendation> again = new Recommender(pool, 5).recommend(0.0, 0.0, TOPICS, answered);
    assertThat(again).extracting(Recommendation::itemId).doesNotContainAnyElementsOf(answered).hasSize(5);
  }

  @Test
  void withoutThetaTopicAdviceWeakestFirst() {
    List<Recommendation> recs = new Recommender(pool, 5).recommend(null, null, TOPICS, Set.of());
    assertThat(recs).extracting(Recommendation::kind).containsOnly(Recommendation.TOPIC);
    assertThat(recs).extracting(Recommendation::topic).containsExactly("geometry", "logic", "algebra");
    assertThat(recs).extracting(Recommendation::itemId).containsOnlyNulls();
  }

  @Test
  void nothingInTheBandGivesNoItems() {
    // θ = 6: every item is far too easy
    assertThat(new Recommender(pool, 5).recommend(6.0, 0.3, TOPICS, Set.of())).isEmpty();
  }

  @Test
  void aSteepItemNearTheBandsEdgeLosesToAFlatOneAtItsCentre() {
    // both at P(θ̂ = 0) in the band; with SE 0.4 the steep one's P could well be outside it
    double bSteep = Recommender.thresholdTheta(2.5, 0.0, 0.2, 0.78);  // P(0) = 0.78, a = 2.5
    double bFlat = Recommender.thresholdTheta(0.7, 0.0, 0.2, 0.675);  // P(0) = 0.675, a = 0.7
    ItemPool two = new ItemPool(new long[] {1, 2}, new String[] {"algebra", "algebra"}, new double[] {2.5, 0.7},
        new double[] {-bSteep, -bFlat}, new double[] {0.2, 0.2});
    Recommender r = new Recommender(two, 5);
    assertThat(LogisticResponse.probability(2.5, -bSteep, 0.2, 0.0)).isCloseTo(0.78, within(1e-9));
    assertThat(r.inBandProbability(0, 0.0, 0.4)).isLessThan(Recommender.CONFIDENCE);
    assertThat(r.inBandProbability(1, 0.0, 0.4)).isGreaterThan(0.9);
    assertThat(r.recommend(0.0, 0.4, TOPICS, Set.of())).extracting(Recommendation::itemId).containsExactly(2L);
    // with θ̂ exact both are in the band; the steeper one informs more and would come first on ties
    assertThat(r.recommend(0.0, 0.0, TOPICS, Set.of())).extracting(Recommendation::itemId).containsExactly(1L, 2L);
  }

  @Test
  void theItemsParameterErrorsWidenTheUncertaintyLikeThetasSe() {
    double b = -Recommender.thresholdTheta(1.0, 0.0, 0.2, 0.70);
    ItemPool exact = new ItemPool(new long[] {1}, new String[] {"algebra"}, new double[] {1.0}, new double[] {b},
        new double[] {0.2});
    ItemPool rough = new ItemPool(new long[] {1}, new String[] {"algebra"}, new double[] {1.0}, new double[] {b},
        new double[] {0.2}, new double[] {0.3}, new double[] {0.8}, new double[] {0.08});
    double qExact = new Recommender(exact, 5).inBandProbability(0, 0.0, 0.3);
    double qRough = new Recommender(rough, 5).inBandProbability(0, 0.0, 0.3);
    assertThat(qExact).isGreaterThan(Recommender.CONFIDENCE);
    assertThat(qRough).isLessThan(qExact - 0.2);
    assertThat(new Recommender(rough, 5).recommend(0.0, 0.3, TOPICS, Set.of())).isEmpty();
  }

  @Test
  void inBandProbabilityIsTheNormalMassBetweenTheBandsThresholds() {
    // a = 1, b = 0, c = 0: thresholds logit(0.55) and logit(0.80); θ̂ = 0.5, s = 0.5
    ItemPool one = new ItemPool(new long[] {1}, new String[] {"algebra"}, new double[] {1.0}, new double[] {0.0},
        new double[] {0.0});
    double lo = Math.log(0.55 / 0.45);
    double hi = Math.log(0.80 / 0.20);
    double expected = PHI.cumulativeProbability((hi - 0.5) / 0.5)
        - PHI.cumulativeProbability((lo - 0.5) / 0.5);
    assertThat(new Recommender(one, 5).inBandProbability(0, 0.5, 0.5)).isCloseTo(expected, within(1e-12));
    assertThat(expected).isBetween(0.6, 0.7);
  }

  @Test
  void aGuessingFloorAboveTheBandNeverQualifies() {
    ItemPool easy = new ItemPool(new long[] {1}, new String[] {"algebra"}, new double[] {1.0}, new double[] {0.0},
        new double[] {0.85});
    assertThat(new Recommender(easy, 5).inBandProbability(0, -3.0, 0.1)).isZero();
  }
}
