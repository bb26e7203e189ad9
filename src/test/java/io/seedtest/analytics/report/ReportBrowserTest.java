package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a student sees: a Korean and an English report opened in headless Chromium at a phone's
 * width (390 CSS px). Checked: the page makes no network request, the Korean (and all other)
 * text is drawn with a font that has its glyphs (no tofu), each chart shows one marker per data
 * point, and nothing is wider than the viewport. A screenshot of each goes to
 * target/report-screenshots (docs/report-ko.png and docs/report-en.png are copies).
 */
@Tag("browser")
class ReportBrowserTest {
  static final int PHONE_WIDTH = 390;
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(ReportLocale.class)
  void aPhoneShowsTheWholeReport(ReportLocale locale) throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.installed(), "Debian's chromium is not installed (bin/test installs it)");
    StudentWeek s = ReportFixtures.full(7);
    List<Recommendation> recs = new Recommender(ReportFixtures.pool(80, "algebra", ReportFixtures.MARKUP,
        ReportFixtures.EMOJI, ReportFixtures.LONG), 5).recommend(s.theta(), s.thetaSe(), s.topics(), s.recentItems());
    Path page = dir.resolve(locale.tag() + ".html");
    Files.write(page, ReportRenderer.shared().render(s, recs, locale));
    String url = page.toUri().toString();

    try (HeadlessChromium chrome = new HeadlessChromium(dir.resolve("profile"))) {
      chrome.send("Emulation.setDeviceMetricsOverride",
          Map.of("width", PHONE_WIDTH, "height", 844, "deviceScaleFactor", 1, "mobile", true));
      chrome.send("Network.enable", Map.of());
      chrome.send("Page.enable", Map.of());
      chrome.send("Page.navigate", Map.of("url", url));
      chrome.await("Page.loadEventFired", Duration.ofSeconds(30));

      List<String> requests = new ArrayList<>();
      for (JsonNode e : chrome.events) {
        if ("Network.requestWillBeSent".equals(e.path("method").asText())) {
          requests.add(e.path("params").path("request").path("url").asText());
        }
      }
      assertThat(requests).as("requests of the page").allMatch(u -> u.equals(url));

      JsonNode layout = chrome.evaluate("""
          (() => {
            const vw = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > vw + 0.5)
              .map(e => e.tagName + '.' + e.className + ':' + (e.textContent || '').slice(0, 30));
            const charts = [...document.querySelectorAll('figure[data-chart]')].map(f => ({
              chart: f.dataset.chart, expected: +f.dataset.points,
              drawn: [...f.querySelectorAll('path')].filter(p => (p.getAttribute('d') || '').includes('C')).length,
              width: f.getBoundingClientRect().width }));
            return { vw, scrollWidth: document.documentElement.scrollWidth, wide, charts, lang: document.documentElement.lang };
          })()""");
      assertThat(layout.path("vw").asInt()).isEqualTo(PHONE_WIDTH);
      assertThat(layout.path("scrollWidth").asInt()).as("page width").isLessThanOrEqualTo(PHONE_WIDTH);
      assertThat(layout.path("wide")).as("elements wider than the viewport").isEmpty();
      assertThat(layout.path("lang").asText()).isEqualTo(locale.tag());
      assertThat(layout.path("charts")).hasSize(3);
      for (JsonNode c : layout.path("charts")) {
        if (!"topics".equals(c.path("chart").asText())) {
          assertThat(c.path("drawn").asInt()).as("markers of chart %s", c.path("chart").asText())
              .isEqualTo(c.path("expected").asInt()).isPositive();
        }
        assertThat(c.path("width").asDouble()).isPositive().isLessThanOrEqualTo(PHONE_WIDTH);
      }

      // No tofu: the title, a sentence and the emoji topic's name are drawn by fonts that have
      // their glyphs (Chromium names the fonts it actually used for a node's text).
      chrome.send("DOM.enable", Map.of());
      chrome.send("CSS.enable", Map.of());
      int docId = chrome.send("DOM.getDocument", Map.of()).path("root").path("nodeId").asInt();
      for (String selector : List.of("h1", "#ability p", "#topics tbody tr:nth-child(3) td.topic")) {
        int node = chrome.send("DOM.querySelector", Map.of("nodeId", docId, "selector", selector)).path("nodeId").asInt();
        JsonNode fonts = chrome.send("CSS.getPlatformFontsForNode", Map.of("nodeId", node)).path("fonts");
        List<String> names = new ArrayList<>();
        fonts.forEach(f -> names.add(f.path("familyName").asText()));
        assertThat(names).as("fonts of %s", selector).isNotEmpty().noneMatch(n -> n.toLowerCase().contains("last resort"));
        if (locale == ReportLocale.KO && selector.equals("h1")) {
          assertThat(names).as("Korean title font").anyMatch(n -> n.contains("CJK") || n.contains("KR"));
        }
      }

      JsonNode metrics = chrome.send("Page.getLayoutMetrics", Map.of());
      int height = (int) Math.ceil(metrics.path("cssContentSize").path("height").asDouble());
      JsonNode shot = chrome.send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
          "clip", Map.of("x", 0, "y", 0, "width", PHONE_WIDTH, "height", height, "scale", 1)));
      Path out = Path.of("target", "report-screenshots");
      Files.createDirectories(out);
      Files.write(out.resolve("report-" + locale.tag() + ".png"), Base64.getDecoder().decode(shot.path("data").asText()));
    }
  }
}
