package io.seedtest.analytics.sim;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The simulator's output, as lazy Datasets (each is recomputed from the seed when used: nothing
 * is cached, and every one is deterministic). Schemas: {@code attempts} is exactly
 * {@link io.seedtest.analytics.io.Attempts#SCHEMA}; the others are in {@link SimTables}.
 *
 * @param attempts one row per answer
 * @param examResults one row per session in the shape of PostgreSQL's exam_results (JSON responses)
 * @param itemBank item_id, topic
 * @param truthItems true 3PL and response-time parameters per item
 * @param truthStudents true traits per student, join and churn day
 * @param truthStudentDays per student and enrolled day: true θ, activity, true churn hazard
 * @param goals the platform's goals table (not every student has one)
 * @param specRow the spec as one row
 * @param injections what the issue-19 switches injected ({@link SimTables#SIM_INJECTIONS_SCHEMA})
 */
public record SimulatedData(
    SimulationSpec spec,
    Dataset<Row> attempts,
    Dataset<Row> examResults,
    Dataset<Row> itemBank,
    Dataset<Row> truthItems,
    Dataset<Row> truthStudents,
    Dataset<Row> truthStudentDays,
    Dataset<Row> goals,
    Dataset<Row> specRow,
    Dataset<Row> injections) {}
