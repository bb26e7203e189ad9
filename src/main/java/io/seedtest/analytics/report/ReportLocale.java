package io.seedtest.analytics.report;

import io.seedtest.analytics.Errors;
import java.text.MessageFormat;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * A report language: its message bundle ({@code report/messages_<tag>.properties}) and number
 * formats. Korean is the default (the platform's students are Korean). Formatting never depends
 * on the JVM's default locale, so a report's bytes are the same on every machine.
 */
public enum ReportLocale {
  KO("ko"),
  EN("en");

  private final String tag;
  private transient Map<String, String> messages;

  ReportLocale(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }

  /** ko or en (case-insensitive); anything else is a one-line configuration error. */
  public static ReportLocale parse(String value) {
    for (ReportLocale l : values()) {
      if (l.tag.equalsIgnoreCase(value == null ? "" : value.trim())) {
        return l;
      }
    }
    throw Errors.badSetting("--locale", String.valueOf(value), "ko or en");
  }

  /** Every message of the bundle by key. */
  synchronized Map<String, String> messages() {
    if (messages == null) {
      ResourceBundle b = ResourceBundle.getBundle("report.messages", Locale.forLanguageTag(tag),
          ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
      Map<String, String> m = new HashMap<>();
      for (String k : b.keySet()) {
        m.put(k, b.getString(k));
      }
      messages = Collections.unmodifiableMap(m);
    }
    return messages;
  }

  /** The message {@code key} with its {0}, {1}… replaced by the (already formatted) arguments. */
  String format(String key, Object... args) {
    String pattern = messages().get(key);
    if (pattern == null) {
      throw new IllegalStateException("no message '" + key + "' in report/messages_" + tag + ".properties");
    }
    return new MessageFormat(pattern.replace("'", "''"), Locale.ROOT).format(args);
  }
}
