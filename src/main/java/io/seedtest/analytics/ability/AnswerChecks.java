package io.seedtest.analytics.ability;

import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.attempts.QuarantineReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data contract's answer rules ({@link AttemptValidation}, docs/data-contract.md) for the
 * answers of ONE session in plain Java, for the endpoint, which must not start Spark to check a
 * dozen answers. Same rules, same order, same constants (taken from {@link AttemptValidation});
 * {@code AnswerChecksParityTest} runs both over the same bad answers and requires the same verdicts.
 * The batch job uses {@link AttemptValidation#split} itself.
 */
public final class AnswerChecks {
  private static final Duration SKEW = Duration.ofMinutes(AttemptValidation.SKEW_MINUTES);
  private static final Duration MAX_SESSION = Duration.ofHours(24);

  private AnswerChecks() {}

  /** One row of the {@code attempt} view (values NULL where the JSON could not be read). */
  public record RawAnswer(long resultId, int seq, Long itemId, String topic, Boolean correct, Double responseTimeMs,
      Integer hintsUsed, Instant answeredAt) {}

  /** The item bank as the checks need it: empty = the unknown-item rule is off. */
  public interface Bank {
    boolean isEmpty();

    boolean contains(long itemId);

    String topic(long itemId);
  }

  /** The verdicts: the answers that count, and how many broke each rule. */
  public record Result(List<RawAnswer> valid, Map<QuarantineReason, Integer> reasons) {
    public int invalid() {
      return reasons.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  public static Result check(Long userId, Long sessionId, Instant finishedAt, List<RawAnswer> answers, Bank bank,
      Instant now) {
    boolean checkItems = !bank.isEmpty();
    Map<QuarantineReason, Integer> reasons = new EnumMap<>(QuarantineReason.class);
    List<RawAnswer> candidates = new ArrayList<>();
    for (RawAnswer a : answers) {
      QuarantineReason r = firstBroken(userId, sessionId, finishedAt, a, bank, checkItems, now);
      if (r == null) {
        candidates.add(a);
      } else {
        reasons.merge(r, 1, Integer::sum);
      }
    }
    // Duplicates among otherwise valid answers: the first answer to an item counts.
    candidates.sort(Comparator.comparing(RawAnswer::answeredAt).thenComparingInt(RawAnswer::seq)
        .thenComparingLong(RawAnswer::resultId));
    Set<Long> seen = new HashSet<>();
    List<RawAnswer> valid = new ArrayList<>(candidates.size());
    for (RawAnswer a : candidates) {
      if (seen.add(a.itemId())) {
        valid.add(a);
      } else {
        reasons.merge(QuarantineReason.DUPLICATE_ANSWER, 1, Integer::sum);
      }
    }
    valid.sort(Comparator.comparingInt(RawAnswer::seq));
    return new Result(valid, reasons);
  }

  private static QuarantineReason firstBroken(Long userId, Long sessionId, Instant finishedAt, RawAnswer a, Bank bank,
      boolean checkItems, Instant now) {
    if (userId == null || sessionId == null || a.itemId() == null) {
      return QuarantineReason.NULL_ID;
    }
    String topic = a.topic() != null ? a.topic() : checkItems ? bank.topic(a.itemId()) : null;
    if (a.correct() == null || a.answeredAt() == null || finishedAt == null || a.responseTimeMs() == null
        || a.hintsUsed() == null || (!checkItems && topic == null)) {
      return QuarantineReason.MISSING_VALUE;
    }
    if (topic != null && topic.codePointCount(0, topic.length()) > AttemptValidation.MAX_TOPIC_CHARS) {
      return QuarantineReason.TOPIC_TOO_LONG;
    }
    double rt = a.responseTimeMs();
    if (Double.isNaN(rt) || rt < 0 || rt > AttemptValidation.MAX_RESPONSE_TIME_MS) {
      return QuarantineReason.BAD_RESPONSE_TIME;
    }
    if (a.hintsUsed() < 0 || a.hintsUsed() > AttemptValidation.MAX_HINTS) {
      return QuarantineReason.BAD_HINTS;
    }
    if (a.answeredAt().isAfter(finishedAt.plus(SKEW)) || a.answeredAt().isAfter(now)) {
      return QuarantineReason.FUTURE_TIMESTAMP;
    }
    if (a.answeredAt().isBefore(finishedAt.minus(MAX_SESSION))) {
      return QuarantineReason.SESSION_TOO_LONG;
    }
    if (checkItems) {
      if (!bank.contains(a.itemId())) {
        return QuarantineReason.UNKNOWN_ITEM;
      }
      if (topic == null) {
        return QuarantineReason.MISSING_VALUE;
      }
    }
    return null;
  }
}
