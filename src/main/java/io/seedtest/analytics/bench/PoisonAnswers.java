package io.seedtest.analytics.bench;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Answers no client should send and any client can: the poison kinds that once stopped the jobs
 * (an offset of +19:00, "1e400", "1e-999"), every limit of the types the attempt view reads, and a
 * seeded generator of random JSON values. Each is placed into an otherwise valid answer, so the
 * field under test is the only thing wrong with it. Used by {@code bench-poison} and by the
 * generated-input test of the view.
 */
public final class PoisonAnswers {
  /** The answer fields the view converts, and {@code responses} itself (the whole session). */
  public static final List<String> FIELDS =
      List.of("item_id", "topic", "correct", "response_time_ms", "hints_used", "answered_at", "responses");

  /** One poison kind: a JSON value (text) put in {@code field}; {@code null} value = the key is absent. */
  public record Kind(String name, String field, String json) {}

  private PoisonAnswers() {}

  /** The named kinds, each broken in exactly one field. */
  public static List<Kind> kinds() {
    List<Kind> k = new ArrayList<>();
    String huge = "\"" + "x".repeat(20_000) + "\"";
    k.add(new Kind("answered_at offset +19:00", "answered_at", "\"2026-11-20T10:00:00+19:00\""));
    k.add(new Kind("answered_at leap second", "answered_at", "\"2026-11-20T23:59:60Z\""));
    k.add(new Kind("answered_at year 0", "answered_at", "\"0000-11-20T10:00:00Z\""));
    k.add(new Kind("answered_at year 99999", "answered_at", "\"99999-11-20T10:00:00Z\""));
    k.add(new Kind("answered_at 2026-02-30", "answered_at", "\"2026-02-30T10:00:00Z\""));
    k.add(new Kind("answered_at without offset", "answered_at", "\"2026-11-20T10:00:00\""));
    k.add(new Kind("answered_at 'infinity'", "answered_at", "\"infinity\""));
    k.add(new Kind("answered_at epoch number", "answered_at", "1795000000"));
    k.add(new Kind("response_time_ms \"1e400\"", "response_time_ms", "\"1e400\""));
    k.add(new Kind("response_time_ms 1e400", "response_time_ms", "1e400"));
    k.add(new Kind("response_time_ms \"1e-999\"", "response_time_ms", "\"1e-999\""));
    k.add(new Kind("response_time_ms \"NaN\"", "response_time_ms", "\"NaN\""));
    k.add(new Kind("response_time_ms \"Infinity\"", "response_time_ms", "\"Infinity\""));
    k.add(new Kind("response_time_ms unicode digits", "response_time_ms", "\"\u0663\u0664\u0665\""));
    k.add(new Kind("response_time_ms negative", "response_time_ms", "-40"));
    k.add(new Kind("item_id 2^63", "item_id", "9223372036854775808"));
    k.add(new Kind("item_id -2^63-1", "item_id", "-9223372036854775809"));
    k.add(new Kind("item_id 1.5", "item_id", "1.5"));
    k.add(new Kind("item_id 40 digits", "item_id", "1" + "0".repeat(39)));
    k.add(new Kind("item_id nested object", "item_id", "{\"id\": {\"id\": [17]}}"));
    k.add(new Kind("hints_used 2^31", "hints_used", "2147483648"));
    k.add(new Kind("hints_used \"1e400\"", "hints_used", "\"1e400\""));
    k.add(new Kind("hints_used 99", "hints_used", "99"));
    k.add(new Kind("correct \"yes\"", "correct", "\"yes\""));
    k.add(new Kind("correct 1", "correct", "1"));
    k.add(new Kind("correct missing", "correct", null));
    k.add(new Kind("topic 20,000 characters", "topic", huge));
    k.add(new Kind("topic nested object", "topic", "{\"name\": \"algebra\"}"));
    k.add(new Kind("responses an object", "responses", "{\"item_id\": 1}"));
    k.add(new Kind("responses a string", "responses", huge));
    k.add(new Kind("responses a number", "responses", "1e400"));
    k.add(new Kind("responses null", "responses", "null"));
    k.add(new Kind("responses [1, null]", "responses", "[1, null]"));
    return k;
  }

  /**
   * The responses JSON of a session with one answer to {@code item} at {@code answeredAt}, valid
   * except that {@code field} holds {@code json} (absent when null); for {@code responses} the
   * value is the whole array's replacement.
   */
  public static String session(String field, String json, long item, String topic, Instant answeredAt) {
    return field.equals("responses") ? json : "[" + answer(field, json, item, topic, true, answeredAt) + "]";
  }

  /** One answer object, valid except for {@code field} (see {@link #session}). */
  public static String answer(String field, String json, long item, String topic, boolean correct, Instant answeredAt) {
    String[][] fields = {
        {"item_id", Long.toString(item)},
        {"topic", "\"" + topic + "\""},
        {"correct", Boolean.toString(correct)},
        {"response_time_ms", "41250"},
        {"hints_used", "1"},
        {"answered_at", "\"" + answeredAt + "\""}};
    StringBuilder b = new StringBuilder("{");
    boolean first = true;
    for (String[] f : fields) {
      String value = f[0].equals(field) ? json : f[1];
      if (value == null) {
        continue;
      }
      b.append(first ? "" : ", ").append('"').append(f[0]).append("\": ").append(value);
      first = false;
    }
    return b.append('}').toString();
  }

  /**
   * A random JSON value (text) of any type, biased to the edges the view's conversions must
   * survive: numbers at the limits of BIGINT, INTEGER and DOUBLE and beyond, exponents up to ±999,
   * numeric strings with signs, spaces and unicode digits, timestamps with any offset, leap
   * seconds, years 0 to 99999, NaN and Infinity, nested objects and arrays, and long strings.
   */
  public static String randomJson(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> edgeNumber(r);
      case 1 -> quote(edgeNumber(r));
      case 2 -> new BigInteger(1 + r.nextInt(140), r).multiply(BigInteger.valueOf(r.nextBoolean() ? 1 : -1)).toString();
      case 3 -> new BigDecimal(new BigInteger(1 + r.nextInt(60), r), r.nextInt(2000) - 1000).toString();
      case 4 -> quote(timestamp(r));
      case 5 -> quote(numericText(r));
      case 6 -> pick(r, "true", "false", "null", "\"\"", "\" \"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"",
          "\"infinity\"", "\"now\"", "\"epoch\"", "\"today\"", "\"allballs\"", "[]", "{}");
      case 7 -> nested(r, 1 + r.nextInt(40));
      case 8 -> quote(randomText(r, r.nextInt(4) == 0 ? 5_000 + r.nextInt(60_000) : r.nextInt(40)));
      case 9 -> "[" + edgeNumber(r) + ", " + quote(timestamp(r)) + "]";
      case 10 -> Long.toString(r.nextLong());
      default -> Double.toString(Double.longBitsToDouble(r.nextLong())).replace("Infinity", "1e999")
          .replace("NaN", "0");
    };
  }

  private static String edgeNumber(Random r) {
    return pick(r, "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "1.7976931348623157e308", "1.8e308",
        "4.9e-324", "2e-324", "1e400", "-1e400", "1e-999", "1e999", "-0", "0", "0.0", "1e-6", "1e-7", "1e15",
        "1.0000000000000001e15", "7200000", "7200000.000001", "12345678901234567890.5", "0.1e1", "17.000",
        "1E+2", "-0.0e-0");
  }

  private static String numericText(Random r) {
    return pick(r, " 17 ", "+17", "17 ", "\t17", "1_000", "0x1F", "1,5", "١٢٣", "１２３", "٣", "17e", "e17",
        "--1", "1e", ".", "-.5", "5.", "1e+", "\u00a017", "17\u2003", "१२३", "1e-1000", "1e1000",
        "9".repeat(45), "0".repeat(60) + "17", "-" + "9".repeat(19));
  }

  private static String timestamp(Random r) {
    int year = pick(r, 0, 1, 999, 1000, 1582, 1970, 2026, 2999, 3000, 9999, 10000, 99999, r.nextInt(100_000));
    int month = r.nextInt(14);
    int day = r.nextInt(33);
    int hour = r.nextInt(26);
    int second = pick(r, 0, 59, 60, 61, r.nextInt(60));
    String frac = pick(r, "", ".5", ".123456", ".123456789", ".1234567890123");
    String offset = pick(r, "Z", "z", "", "+00:00", "+14:00", "+15:59", "+16:00", "+19:00", "-19:00", "+99:99",
        "+0530", "+05", "-12:00", "+24:00", "+15:60", " UTC", "+01:00:30");
    String sep = pick(r, "T", " ", "t");
    String text = String.format("%04d-%02d-%02d%s%02d:%02d:%02d%s%s", year, month, day, sep, hour, r.nextInt(61),
        second, frac, offset);
    return r.nextInt(5) == 0 ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
        Instant.ofEpochSecond(r.nextLong() % 300_000_000_000L).atOffset(ZoneOffset.ofHours(r.nextInt(29) - 14)))
        : text;
  }

  private static String nested(Random r, int depth) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      b.append(r.nextBoolean() ? "{\"k\": " : "[");
    }
    StringBuilder close = new StringBuilder();
    String s = b.toString();
    for (int i = s.length() - 1; i >= 0; i--) {
      if (s.charAt(i) == '{') {
        close.append('}');
      } else if (s.charAt(i) == '[') {
        close.append(']');
      }
    }
    return s + edgeNumber(r) + close;
  }

  private static String randomText(Random r, int length) {
    StringBuilder b = new StringBuilder(length);
    while (b.length() < length) {
      int cp = switch (r.nextInt(4)) {
        case 0 -> 0x20 + r.nextInt(0x5f);
        case 1 -> 0xa0 + r.nextInt(0x2000);
        case 2 -> 0x1f300 + r.nextInt(0x300);
        default -> 0x0600 + r.nextInt(0x100);
      };
      b.appendCodePoint(cp);
    }
    return b.toString();
  }

  /** A JSON string of {@code s} (PostgreSQL's jsonb refuses \u0000, so none is generated). */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints().forEach(c -> {
      if (c == '"' || c == '\\') {
        b.append('\\').append((char) c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.append('"').toString();
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }
}
