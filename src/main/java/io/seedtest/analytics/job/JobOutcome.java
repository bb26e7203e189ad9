package io.seedtest.analytics.job;

/** What the runner reports after a run: counts and the job's summary line. */
public record JobOutcome(long rowsRead, long rowsWritten, long rowsQuarantined, String summary) {}
