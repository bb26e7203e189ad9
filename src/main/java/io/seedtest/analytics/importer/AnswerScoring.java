package io.seedtest.analytics.importer;

import java.util.Locale;
import java.util.Map;

/**
 * Turns one cell of an answer file into correct / wrong / not answered.
 *
 * <p>Scored files: {@code 1/0}, {@code true/false}, {@code T/F}, {@code yes/no} (any case, quotes
 * and surrounding blanks ignored; Parquet booleans and numbers arrive as their text). Raw
 * multiple-choice files with an answer key: an answer is correct when it equals the item's key
 * (trimmed, case-insensitive), as mirt's {@code key2binary}. In both, an empty cell or the
 * {@code --missing} code means "not answered": the answer is left out, not scored wrong (mirt keeps
 * it NA), and counted.
 */
final class AnswerScoring {
  /** A cell that is not an answer. */
  static final Boolean NOT_ANSWERED = null;

  private final Map<String, String> key;
  private final String missingCode;

  /**
   * @param key item (as written in the file) → its correct option; null for scored files
   * @param missingCode the code of an unanswered item (e.g. "9" or "NA"); null: only empty cells
   */
  AnswerScoring(Map<String, String> key, String missingCode) {
    this.key = key;
    this.missingCode = missingCode == null ? null : clean(missingCode);
  }

  boolean usesKey() {
    return key != null;
  }

  /**
   * @return true / false, or {@link #NOT_ANSWERED}
   * @throws IllegalArgumentException why the cell is not an answer in this file's scheme
   */
  Boolean score(String item, String raw) {
    String v = raw == null ? "" : clean(raw);
    if (v.isEmpty() || v.equalsIgnoreCase(missingCode)) {
      return NOT_ANSWERED;
    }
    if (key != null) {
      String correct = key.get(item);
      if (correct == null) {
        throw new IllegalArgumentException("item '" + item + "' has no entry in the answer key");
      }
      return v.equalsIgnoreCase(correct);
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "1", "1.0", "true", "t", "yes", "y" -> {
        return true;
      }
      case "0", "0.0", "false", "f", "no", "n" -> {
        return false;
      }
      default -> throw new IllegalArgumentException(
          "not a scored answer (expected 1/0, true/false or T/F; for raw answers pass --key)");
    }
  }

  static String clean(String s) {
    String t = s.trim();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1).trim();
    }
    return t;
  }
}
