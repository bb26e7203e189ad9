package io.seedtest.analytics.session;

import java.io.Serializable;
import java.time.Instant;

/**
 * One finished exam session, reduced to what the update needs: its valid answers (item id and
 * whether correct, already checked against the data contract) and how many of its answers broke
 * the contract and were left out.
 *
 * @param resultId the exam_results row id
 * @param invalid answers quarantined by the contract's rules (never used)
 */
public record SessionAnswers(long resultId, long sessionId, long userId, Instant finishedAt, long[] itemIds,
    boolean[] correct, int invalid) implements Serializable {

  public SessionAnswers {
    if (itemIds.length != correct.length) {
      throw new IllegalArgumentException("item ids and answers differ in length");
    }
  }

  public int validAnswers() {
    return itemIds.length;
  }
}
