package io.seedtest.analytics.importer;

import java.time.Instant;

/**
 * One answer as read from a file, before ids and sessions: the names as written, the row it came
 * from (1 = first data row) for messages.
 */
record Answer(long row, String user, String item, boolean correct, String session, String topic,
    Instant answeredAt, double responseTimeMs, int hints) {}
