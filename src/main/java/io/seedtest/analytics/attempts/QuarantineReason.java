package io.seedtest.analytics.attempts;

/**
 * Why an answer broke the data contract (docs/data-contract.md lists the exact rules), in the
 * order validation tries them. A quarantine row's {@code reason} is the code followed by the field
 * and the rule it broke, e.g. {@code missing_value(correct: not a boolean)}: {@link #code(String)}
 * builds it, {@link #codeOf(String)} takes the code back.
 */
public enum QuarantineReason {
  /** responses is not an array (the session as a whole), or one of its elements is not an object. */
  BAD_RESPONSES,
  /** user_id, session_id or item_id is missing or not a number. */
  NULL_ID,
  /** correct, answered_at, response time, hints or topic is missing or unreadable. */
  MISSING_VALUE,
  /** topic longer than {@link AttemptValidation#MAX_TOPIC_CHARS} characters. */
  TOPIC_TOO_LONG,
  /** response time negative or above {@link AttemptValidation#MAX_RESPONSE_TIME_MS}. */
  BAD_RESPONSE_TIME,
  /** hints used negative or above {@link AttemptValidation#MAX_HINTS}. */
  BAD_HINTS,
  /** answered after its session finished (beyond clock skew) or after the run started. */
  FUTURE_TIMESTAMP,
  /** answered more than a day before its session finished. */
  SESSION_TOO_LONG,
  /** the item is not in the item bank. */
  UNKNOWN_ITEM,
  /** the same item answered again in the same session; the first answer counts. */
  DUPLICATE_ANSWER;

  public String code() {
    return name().toLowerCase();
  }

  /** The reason as stored: {@code code(field: rule)}. */
  public String code(String fieldAndRule) {
    return code() + "(" + fieldAndRule + ")";
  }

  /** The code of a stored reason ({@code missing_value(correct: not a boolean)} → {@code missing_value}). */
  public static String codeOf(String reason) {
    int open = reason.indexOf('(');
    return open < 0 ? reason : reason.substring(0, open);
  }
}
