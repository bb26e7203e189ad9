package io.seedtest.analytics.bench;

import io.seedtest.analytics.irt.AbilityEstimate;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.ability.AbilityState;
import io.seedtest.analytics.ability.ItemParamsSnapshot;
import io.seedtest.analytics.ability.SessionAnswers;
import io.seedtest.analytics.ability.SessionUpdate;
import io.seedtest.analytics.ability.UpdateRule;
import io.seedtest.analytics.sim.ItemBank;
import io.seedtest.analytics.sim.SimulationSpec;
import io.seedtest.analytics.sim.StudentHistory;
import io.seedtest.analytics.sim.StudentSimulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How well the session-end θ tracks the true θ on the simulator (package sim), against the weekly
 * θ it replaces between calibrations. Pure Java: the simulator's students are generated one by one
 * in this JVM, no Spark, no database (the test runs it on a few hundred students, the benchmark on
 * tens of thousands).
 *
 * <p>Item parameters are the simulator's true ones (a perfect calibration), so the comparison
 * isolates the update rule. Per student, week by week: the weekly θ is what the calibration's
 * scoring gives at the end of each week — EAP under N(0, 1) over her first answer to each item so
 * far — and it replaces her current θ (as the calibration does in mirt_ability); within the week,
 * each finished session moves the current θ by {@link UpdateRule}. After every session that has a
 * weekly θ before it, both are compared with the truth: the true θ at the session's last answer
 * and, as sim_student_days holds it, at the end of that day.
 */
public final class SimulatedTracking {
  private SimulatedTracking() {}

  /**
   * @param sessions sessions compared (those after the student's first weekly θ)
   * @param rmseOnline RMSE of the updated θ vs the true θ at the session's end
   * @param rmseWeekly RMSE of the last weekly θ vs the same truth
   * @param rmseOnlineDay / rmseWeeklyDay the same against the end-of-day truth (sim_student_days)
   */
  public record Result(int students, long sessions, double rmseOnline, double rmseWeekly, double biasOnline,
      double biasWeekly, double rmseOnlineDay, double rmseWeeklyDay, double seconds) {}

  public static Result run(SimulationSpec spec, UpdateRule rule) {
    long t0 = System.nanoTime();
    ItemBank bank = ItemBank.generate(spec);
    long[] ids = new long[bank.size()];
    ItemParams[] params = new ItemParams[bank.size()];
    for (int j = 0; j < bank.size(); j++) {
      ids[j] = bank.itemId(j);
      params[j] = ItemParams.of(bank.a(j), bank.b(j), bank.c(j));
    }
    ItemParamsSnapshot snapshot = new ItemParamsSnapshot(ids, params, "truth", "truth");
    StudentSimulator sim = new StudentSimulator(spec, bank);
    long start = spec.startDay().toEpochDay() * 86_400L;
    double[] scratch = new double[61];
    double[] acc = new double[6];
    long n = 0;
    for (long user = 1; user <= spec.students(); user++) {
      StudentHistory h = sim.simulate(user);
      Map<Integer, Double> dayTheta = new HashMap<>();
      for (StudentHistory.Day d : h.days()) {
        dayTheta.put(d.day(), d.theta());
      }
      List<StudentHistory.Session> sessions = h.sessions();
      List<Integer> items = new ArrayList<>();
      List<Byte> correct = new ArrayList<>();
      BitSet seen = new BitSet(bank.size());
      AbilityState state = null;
      AbilityState weekly = null;
      int next = 0;
      for (int week = 6; week < spec.days() + 6; week += 7) {
        long weekEnd = start + (week + 1) * 86_400L;
        while (next < sessions.size() && sessions.get(next).finishedAt() < weekEnd) {
          StudentHistory.Session s = sessions.get(next++);
          long[] sItems = new long[s.size()];
          for (int k = 0; k < s.size(); k++) {
            sItems[k] = bank.itemId(s.items()[k]);
            if (!seen.get(s.items()[k])) {
              seen.set(s.items()[k]);
              items.add(s.items()[k]);
              correct.add((byte) (s.correct()[k] ? 1 : 0));
            }
          }
          SessionUpdate u = rule.apply(state, new SessionAnswers(s.resultId(), s.sessionId(), user,
              Instant.ofEpochSecond(s.finishedAt()), sItems, s.correct().clone(), 0), snapshot, scratch);
          state = u.after();
          if (weekly != null) {
            double truth = s.theta()[s.size() - 1];
            double truthDay = dayTheta.getOrDefault(s.day(), truth);
            double eo = u.thetaAfter() - truth;
            double ew = weekly.theta() - truth;
            acc[0] += eo * eo;
            acc[1] += ew * ew;
            acc[2] += eo;
            acc[3] += ew;
            acc[4] += (u.thetaAfter() - truthDay) * (u.thetaAfter() - truthDay);
            acc[5] += (weekly.theta() - truthDay) * (weekly.theta() - truthDay);
            n++;
          }
        }
        if (!items.isEmpty()) {
          int[] idx = items.stream().mapToInt(Integer::intValue).toArray();
          byte[] x = new byte[correct.size()];
          for (int k = 0; k < x.length; k++) {
            x[k] = correct.get(k);
          }
          AbilityEstimate e = snapshot.scorer().score(idx, x);
          weekly = new AbilityState(e.theta(), e.sd(), Instant.ofEpochSecond(weekEnd - 1),
              AbilityState.SOURCE_CALIBRATION, "weekly", e.answersUsed());
          state = weekly;
        }
      }
    }
    double div = Math.max(1, n);
    return new Result(spec.students(), n, Math.sqrt(acc[0] / div), Math.sqrt(acc[1] / div), acc[2] / div,
        acc[3] / div, Math.sqrt(acc[4] / div), Math.sqrt(acc[5] / div), (System.nanoTime() - t0) / 1e9);
  }
}
