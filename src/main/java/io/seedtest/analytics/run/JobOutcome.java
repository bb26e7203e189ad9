package io.seedtest.analytics.run;

/** What the runner reports after a run: counts and the job's summary line. */
public record JobOutcome(long rowsRead, long rowsWritten, long rowsQuarantined, String summary) {}
