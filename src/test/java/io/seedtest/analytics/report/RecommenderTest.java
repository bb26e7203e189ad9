package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.irt.LogisticResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecommenderTest {
  private static final List<TopicWeek> TOPICS = List.of(new TopicWeek("algebra", 5, 4, 5, 4, 20, 16),
      new TopicWeek("geometry", 5, 1, 5, 2, 20, 6), new TopicWeek("logic", 1, 0, 0, 0, 1, 0));
  private final ItemPool pool = ReportFixtures.pool(90, "algebra", "geometry", "logic");

  @Test
  void inBandUnansweredItemsOfTheWeakestTopicRankedByInformation() {
    List<Recommendation> recs = new Recommender(pool, 5).recommend(0.0, TOPICS, Set.of());
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
    List<Recommendation> first = new Recommender(pool, 5).recommend(0.0, TOPICS, Set.of());
    Set<Long> answered = Set.of(first.get(0).itemId(), first.get(1).itemId());
    List<Recommendation> again = new Recommender(pool, 5).recommend(0.0, TOPICS, answered);
    assertThat(again).extracting(Recommendation::itemId).doesNotContainAnyElementsOf(answered).hasSize(5);
  }

  @Test
  void withoutThetaTopicAdviceWeakestFirst() {
    List<Recommendation> recs = new Recommender(pool, 5).recommend(null, TOPICS, Set.of());
    assertThat(recs).extracting(Recommendation::kind).containsOnly(Recommendation.TOPIC);
    assertThat(recs).extracting(Recommendation::topic).containsExactly("geometry", "logic", "algebra");
    assertThat(recs).extracting(Recommendation::itemId).containsOnlyNulls();
  }

  @Test
  void nothingInTheBandGivesNoItems() {
    // θ = 6: every item is far too easy
    assertThat(new Recommender(pool, 5).recommend(6.0, TOPICS, Set.of())).isEmpty();
  }
}
