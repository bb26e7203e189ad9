package io.seedtest.analytics.serve;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Map;

/** The endpoint's tiny JSON: flat objects of strings, whole numbers, doubles and booleans. */
final class Json {
  private Json() {}

  static String object(Map<String, ?> fields) {
    StringBuilder b = new StringBuilder(160).append('{');
    boolean first = true;
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      string(b, e.getKey());
      b.append(':');
      Object v = e.getValue();
      if (v == null) {
        b.append("null");
      } else if (v instanceof Double d) {
        b.append(Double.isFinite(d) ? Double.toString(d) : "null");
      } else if (v instanceof Number || v instanceof Boolean) {
        b.append(v);
      } else {
        string(b, v.toString());
      }
    }
    return b.append('}').toString();
  }

  /** Jackson's escaping (the library Spark already ships), so the two JSON writers share one. */
  static void string(StringBuilder b, String s) {
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, b);
    b.append('"');
  }
}
