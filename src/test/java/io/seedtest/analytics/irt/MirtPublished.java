package io.seedtest.analytics.irt;

import com.univocity.parsers.common.record.Record;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The published R mirt (and ltm) results the LSAT tests compare with, read from the files that cite
 * their sources (src/test/resources/irt/lsat_estimates_published.csv and lsat_fit_published.csv,
 * described in that folder's README), so the numbers live in one place with their provenance.
 * {@code dataset} and {@code model} are those files' columns verbatim, e.g. "LSAT7", "2PL".
 */
public final class MirtPublished {
  private static final String ESTIMATES = "/irt/lsat_estimates_published.csv";
  private static final String FIT = "/irt/lsat_fit_published.csv";
  private static final int ITEMS = 5;
  private static final List<Record> ESTIMATE_ROWS = read(ESTIMATES);
  private static final List<Record> FIT_ROWS = read(FIT);

  private MirtPublished() {}

  /** The published log-likelihood of a fit. */
  public static double logLikelihood(String dataset, String model) {
    return FIT_ROWS.stream()
        .filter(r -> r.getString("dataset").equals(dataset) && r.getString("model").equals(model)
            && r.getString("statistic").equals("logLik"))
        .findFirst().map(r -> r.getDouble("value"))
        .orElseThrow(() -> missing(FIT, dataset + " " + model + " logLik"));
  }

  /** One item's published estimate (item 1 = Item_1); the first row when the file repeats one. */
  public static double estimate(String dataset, String model, int item, String param) {
    return row(dataset, model, item, param).getDouble("value");
  }

  /** Items 1..5's estimates of one parameter, indexed from 0 as in {@link Responses}. */
  public static double[] estimates(String dataset, String model, String param) {
    double[] out = new double[ITEMS];
    for (int j = 0; j < ITEMS; j++) {
      out[j] = estimate(dataset, model, j + 1, param);
    }
    return out;
  }

  /** Items 1..5's published 95% intervals {lo, hi} of one parameter, indexed from 0. */
  public static double[][] intervals(String dataset, String model, String param) {
    double[][] out = new double[ITEMS][];
    for (int j = 0; j < ITEMS; j++) {
      Record r = row(dataset, model, j + 1, param);
      if (r.getString("ci_lo") == null || r.getString("ci_hi") == null) {
        throw missing(ESTIMATES, dataset + " " + model + " Item_" + (j + 1) + " " + param + " 95% interval");
      }
      out[j] = new double[] {r.getDouble("ci_lo"), r.getDouble("ci_hi")};
    }
    return out;
  }

  private static Record row(String dataset, String model, int item, String param) {
    String name = "Item_" + item;
    return ESTIMATE_ROWS.stream()
        .filter(r -> r.getString("dataset").equals(dataset) && r.getString("model").equals(model)
            && r.getString("item").equals(name) && r.getString("param").equals(param))
        .findFirst()
        .orElseThrow(() -> missing(ESTIMATES, dataset + " " + model + " " + name + " " + param));
  }

  private static List<Record> read(String resource) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.setHeaderExtractionEnabled(true);
    settings.setLineSeparatorDetectionEnabled(true);
    try (InputStream in = MirtPublished.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new CsvParser(settings).parseAllRecords(in, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static IllegalStateException missing(String resource, String what) {
    return new IllegalStateException(resource + " has no row for " + what
        + ": the test asks for a value the file does not publish; match its dataset and model columns verbatim.");
  }
}
