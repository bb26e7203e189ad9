package io.seedtest.analytics.report;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders one student's weekly report: the Pebble template {@code report/weekly.peb} filled with
 * her numbers, sentences from the locale's message bundle and the charts of {@link ReportCharts}
 * inline. Pebble escapes every value for HTML (a topic called {@code <script>} is shown, never
 * run); only the SVG charts are inserted raw, and JFreeSVG escapes the text inside them.
 *
 * <p>Thread-safe; one per JVM ({@link #shared()}), the compiled template cached.
 */
public final class ReportRenderer {
  private static ReportRenderer shared;

  private final PebbleTemplate template;

  private ReportRenderer() {
    ClasspathLoader loader = new ClasspathLoader(ReportRenderer.class.getClassLoader());
    loader.setPrefix("report");
    loader.setSuffix(".peb");
    PebbleEngine engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).defaultEscapingStrategy("html")
        .strictVariables(true).newLineTrimming(false).defaultLocale(Locale.ROOT).build();
    template = engine.getTemplate("weekly");
  }

  public static synchronized ReportRenderer shared() {
    if (shared == null) {
      shared = new ReportRenderer();
    }
    return shared;
  }

  /** The report as UTF-8 HTML bytes; the same inputs give the same bytes. */
  public byte[] render(StudentWeek s, List<Recommendation> recs, ReportLocale l) {
    Map<String, Object> m = new HashMap<>();
    m.put("t", l.messages());
    m.put("student", l.format("student", Long.toString(s.userId())));
    m.put("week", l.format("week", s.weekEnding().minusDays(6), s.weekEnding()));
    ability(m, s, l);
    goal(m, s, l);
    m.put("kpis", kpis(s, l));
    topics(m, s);
    recommendations(m, recs, l);
    StringWriter w = new StringWriter(24_000);
    try {
      template.evaluate(w, m, Locale.ROOT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void ability(Map<String, Object> m, StudentWeek s, ReportLocale l) {
    List<StudentWeek.ThetaPoint> pts = s.thetaHistory();
    m.put("abilityChart", pts.isEmpty() ? null : ReportCharts.ability(pts, s.targetTheta(), "ability"));
    m.put("abilityPoints", pts.size());
    String sentence;
    if (pts.isEmpty()) {
      sentence = l.format("ability_none");
    } else if (pts.size() == 1) {
      sentence = l.format("ability_single");
    } else {
      double delta = pts.get(pts.size() - 1).theta() - pts.get(0).theta();
      long days = pts.get(pts.size() - 1).day().toEpochDay() - pts.get(0).day().toEpochDay();
      String weeks = Long.toString(Math.max(1, Math.round(days / 7.0)));
      // 0.1 θ is well inside a week's estimation error: smaller moves are "steady", not a trend
      String key = delta >= 0.1 ? "ability_up" : delta <= -0.1 ? "ability_down" : "ability_flat";
      sentence = l.format(key, weeks, key.equals("ability_flat") ? signed(delta) : fixed2(Math.abs(delta)));
    }
    m.put("abilitySentence", sentence);
    String date = s.goalDate() == null ? l.format("goal_date_none") : s.goalDate().toString();
    m.put("goalLine", s.targetFromGoal() ? l.format("goal_line", fixed2(s.targetTheta()), date)
        : l.format("goal_line_default", fixed2(s.targetTheta())));
  }

  private static void goal(Map<String, Object> m, StudentWeek s, ReportLocale l) {
    Double p = s.pGoal();
    m.put("pValue", p == null ? null : percent(p));
    m.put("pText", p == null ? null : l.format("p_value", percent(p)));
    m.put("pMeaning", p == null ? null : l.format(p >= 0.8 ? "p_very_likely" : p >= 0.5 ? "p_likely"
        : p >= 0.2 ? "p_possible" : "p_stretch"));
    m.put("pChart", s.pHistory().isEmpty() ? null : ReportCharts.goalProbability(s.pHistory(), "goal"));
    m.put("pPoints", s.pHistory().size());
  }

  private static List<Map<String, String>> kpis(StudentWeek s, ReportLocale l) {
    List<Map<String, String>> rows = new ArrayList<>();
    rows.add(kpi(l.format("kpi_accuracy"), pct(s.week().accuracy(), l), pct(s.previous().accuracy(), l)));
    rows.add(kpi(l.format("kpi_effort"), pct(s.week().effort(), l), pct(s.previous().effort(), l)));
    rows.add(kpi(l.format("kpi_retention"), pct(s.week().retention(), l), pct(s.previous().retention(), l)));
    rows.add(kpi(l.format("kpi_improvement"), improvement(s.week().improvement(), s.improvementSource(), l),
        improvement(s.previous().improvement(), s.improvementSource(), l)));
    rows.add(kpi(l.format("kpi_answers"), count(s.week().answers(), l), count(s.previous().answers(), l)));
    return rows;
  }

  private static void topics(Map<String, Object> m, StudentWeek s) {
    List<TopicWeek> shown = s.topics().stream().filter(t -> t.attemptsWeek() + t.attemptsPrev() > 0).toList();
    m.put("topicsChart", shown.isEmpty() ? null : ReportCharts.topics(shown, "topics"));
    m.put("topicPoints", shown.stream().mapToInt(t -> (t.attemptsWeek() > 0 ? 1 : 0) + (t.attemptsPrev() > 0 ? 1 : 0))
        .sum());
    List<Map<String, String>> rows = new ArrayList<>();
    for (TopicWeek t : shown) {
      rows.add(Map.of("topic", t.topic(), "answers", t.attemptsWeek() + " / " + t.attemptsPrev(),
          "accuracy", pctOrDash(t.accuracyWeek()) + " / " + pctOrDash(t.accuracyPrev())));
    }
    m.put("topics", rows);
  }

  private static void recommendations(Map<String, Object> m, List<Recommendation> recs, ReportLocale l) {
    boolean topicsOnly = !recs.isEmpty() && Recommendation.TOPIC.equals(recs.get(0).kind());
    m.put("recIntro", topicsOnly ? l.format("rec_topic_intro")
        : l.format("rec_intro", percent(Recommender.BAND_LOW), percent(Recommender.BAND_HIGH)));
    List<Map<String, String>> rows = new ArrayList<>();
    for (Recommendation r : recs) {
      if (Recommendation.ITEM.equals(r.kind())) {
        rows.add(Map.of("title", l.format("rec_item", Long.toString(r.itemId()), r.topic()),
            "detail", l.format("rec_item_detail", percent(r.pSuccess()))));
      } else {
        rows.add(Map.of("title", l.format("rec_topic", r.topic()),
            "detail", l.format("rec_topic_detail", pctOrDash(r.topicAccuracy()))));
      }
    }
    m.put("recommendations", rows);
  }

  private static Map<String, String> kpi(String name, String week, String previous) {
    return Map.of("name", name, "week", week, "previous", previous);
  }

  private static String improvement(Double v, String source, ReportLocale l) {
    if (v == null) {
      return l.format("kpi_na");
    }
    return "theta".equals(source) ? l.format("kpi_improvement_theta", signed(v))
        : l.format("kpi_improvement_accuracy", signed1(100 * v));
  }

  private static String pct(Double v, ReportLocale l) {
    return v == null ? l.format("kpi_na") : percent(v);
  }

  private static String pctOrDash(Double v) {
    return v == null ? "–" : percent(v);
  }

  private static String count(Integer v, ReportLocale l) {
    return v == null ? l.format("kpi_na") : Integer.toString(v);
  }

  static String percent(double v) {
    return Math.round(100 * v) + "%";
  }

  private static String fixed2(double v) {
    return new DecimalFormat("0.00", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
  }

  private static String signed(double v) {
    return new DecimalFormat("+0.00;−0.00", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
  }

  private static String signed1(double v) {
    return new DecimalFormat("+0.0;−0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
  }
}
