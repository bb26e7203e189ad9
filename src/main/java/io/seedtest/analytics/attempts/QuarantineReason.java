package io.seedtest.analytics.attempts;

/** Why an answer broke the data contract (docs/data-contract.md lists the exact rules). */
public enum QuarantineReason {
  /** user_id, session_id or item_id is missing or not a number. */
  NULL_ID,
  /** correct, answered_at, response time, hints or topic is missing or unreadable. */
  MISSING_VALUE,
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
}
