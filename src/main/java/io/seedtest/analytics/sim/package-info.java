/**
 * The simulator: students, items and exam sessions with known ground truth, which every other
 * job is tested, benchmarked and scored against.
 *
 * <ul>
 *   <li>{@link io.seedtest.analytics.sim.SimulationSpec}: what to simulate (REALISTIC or RECOVERY).
 *   <li>{@link io.seedtest.analytics.sim.ItemBank}: items with true 3PL and response-time
 *       parameters, generated on the driver.
 *   <li>{@link io.seedtest.analytics.sim.StudentSimulator}: one student's history, a pure function
 *       of (seed, user id); the model and its constants are documented there, the churn hazard in
 *       {@link io.seedtest.analytics.sim.ChurnHazard}.
 *   <li>{@link io.seedtest.analytics.sim.Simulator}: the distributed generation into
 *       {@link io.seedtest.analytics.sim.SimulatedData} (lazy Datasets).
 *   <li>{@link io.seedtest.analytics.sim.GenerateJob}: writes the data and the truth to the lake
 *       or to PostgreSQL.
 * </ul>
 *
 * <p>Scoring against the truth: item parameters are on the simulation's θ scale, where θ0 ~ N(0, 1)
 * at joining; abilities grow afterwards, so a calibration that fixes its own population to N(0, 1)
 * must be linked (e.g. mean/sigma on the true and estimated b of all items) before comparing
 * parameters. {@code sim_student_days.theta} is the true θ at the end of each day (for P(goal)).
 * {@code churn_hazard} is the true probability of churning on that day given enrolment at its
 * start: a churn model's scores can be compared with it (the true hazard's own AUC on the realised
 * churn days is the reference a model can approach) as well as with {@code sim_students.churn_day}.
 * {@code p_session} is the true chance of a session that day (0 on a break), for engagement.
 */
package io.seedtest.analytics.sim;
