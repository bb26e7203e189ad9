package io.seedtest.analytics.io;

import io.seedtest.analytics.run.DateWindow;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** One result table of a run: what to write, how, and the window the run owns in it. */
public record Output(UpsertSpec spec, Dataset<Row> rows, DateWindow scope) {}
