package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportRendererTest {
  private final ReportRenderer renderer = ReportRenderer.shared();

  @Test
  void markupInTopicNamesIsEscapedEverywhere() {
    StudentWeek s = ReportFixtures.full(7);
    List<Recommendation> recs = List.of(new Recommendation(1, Recommendation.ITEM, 42L, ReportFixtures.MARKUP, 0.7,
        0.5, 0.35, 0.15));
    String html = new String(renderer.render(s, recs, ReportLocale.KO), StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("<script").contains("&lt;script&gt;");
    assertThat(html).contains(ReportFixtures.EMOJI).contains(ReportFixtures.LONG);
    assertThat(html).contains("주간 학습 리포트").contains("문제 #42");
  }

  @Test
  void sameInputsGiveSameBytesAndLocalesDiffer() {
    StudentWeek s = ReportFixtures.full(7);
    byte[] first = renderer.render(s, List.of(), ReportLocale.EN);
    assertThat(renderer.render(s, List.of(), ReportLocale.EN)).isEqualTo(first);
    String en = new String(first, StandardCharsets.UTF_8);
    assertThat(en).contains("<html lang=\"en\">").contains("Weekly learning report").doesNotContain("주간");
  }

  @Test
  void everyChartHasOnePointPerValue() {
    StudentWeek s = ReportFixtures.full(7);
    String html = new String(renderer.render(s, List.of(), ReportLocale.KO), StandardCharsets.UTF_8);
    String ability = between(html, "data-chart=\"ability\"", "</figure>");
    assertThat(markers(ability)).isEqualTo(12);
    assertThat(ability).contains("data-points=\"12\"");
    assertThat(markers(between(html, "data-chart=\"goal\"", "</figure>"))).isEqualTo(12);
  }

  @Test
  void aNewcomerGetsAReportThatSaysWhatIsMissing() {
    StudentWeek s = ReportFixtures.newcomer(8);
    List<Recommendation> recs = new Recommender(ReportFixtures.pool(20, "geometry"), 5)
        .recommend(s.theta(), s.thetaSe(), s.topics(), s.recentItems());
    String html = new String(renderer.render(s, recs, ReportLocale.KO), StandardCharsets.UTF_8);
    assertThat(html).doesNotContain("data-chart=\"ability\"").doesNotContain("data-chart=\"goal\"")
        .contains("아직 보정된 실력 추정치가 없습니다").contains("기본 목표 θ 0.00").contains("geometry");
    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(60_000);
  }

  private static String between(String s, String from, String to) {
    int i = s.indexOf(from);
    assertThat(i).as("'%s' in the page", from).isNotNegative();
    return s.substring(i, s.indexOf(to, i));
  }

  /** The point markers: JFreeSVG draws each round marker as a path of Bézier curves (lines have none). */
  static int markers(String svg) {
    return (int) java.util.regex.Pattern.compile("<path [^>]*d='[^']*C").matcher(svg).results().count();
  }
}
