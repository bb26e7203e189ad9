package io.seedtest.analytics.ability;

import java.io.Serializable;
import java.time.Instant;

/**
 * One finished exam session, reduced to what the update needs: its valid answers (item id and
 * whether correct, already checked against the data contract) and how many of its answers broke
 * the contract and were left out.
 *
 * @param resultId the exam_results row id
 * @param invalid answers quarantined by the contract's rules (never used)
 * @param responseTimesMs each valid answer's response time in ms (NaN: unknown), or null when no
 *     time is known (then no answer is a rapid guess)
 */
public record SessionAnswers(long resultId, long sessionId, long userId, Instant finishedAt, long[] itemIds,
    boolean[] correct, int invalid, double[] responseTimesMs) implements Serializable {

  public SessionAnswers {
    if (itemIds.length != correct.length) {
      throw new IllegalArgumentException("item ids and answers differ in length");
    }
    if (responseTimesMs != null && responseTimesMs.length != itemIds.length) {
      throw new IllegalArgumentException("item ids and response times differ in length");
    }
  }

  /** A session whose answers' response times are not known. */
  public SessionAnswers(long resultId, long sessionId, long userId, Instant finishedAt, long[] itemIds,
      boolean[] correct, int invalid) {
    this(resultId, sessionId, userId, finishedAt, itemIds, correct, invalid, null);
  }

  /** The response time of valid answer {@code i} in ms, NaN when unknown. */
  public double responseTimeMs(int i) {
    return responseTimesMs == null ? Double.NaN : responseTimesMs[i];
  }

  public int validAnswers() {
    return itemIds.length;
  }
}
