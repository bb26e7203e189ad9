package io.seedtest.analytics.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.cli.SeedtestCli;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.run.DateWindow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The calibrate-irt command line: options, their errors (one line, exit 2), and the window rule. */
class CalibrateIrtCommandTest {
  private record Result(int code, String out, String err) {}

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SeedtestCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheCalibrationOptions() {
    Result r = cli("calibrate-irt", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--weeks", "--model", "--no-priors", "--min-answers", "--max-iterations", "--date",
        "--dry-run", "--strict");
  }

  @Test
  void badOptionsFailWithOneClearLine() {
    Result model = cli("calibrate-irt", "--model", "4pl", "--lake", "/nonexistent");
    assertThat(model.code()).isEqualTo(2);
    assertThat(model.err().strip()).isEqualTo("seedtest: Setting --model='4pl' is invalid: expected 3pl, 2pl or rasch."
        + " Fix the environment variable or the flag and run again.");
    Result weeks = cli("calibrate-irt", "--weeks", "0");
    assertThat(weeks.code()).isEqualTo(2);
    assertThat(weeks.err()).contains("--weeks").doesNotContain("Exception");
    Result date = cli("calibrate-irt", "--date", "2026-02-30");
    assertThat(date.code()).isEqualTo(2);
    assertThat(date.err()).contains("is not a date");
  }

  @Test
  void theWindowIsTheWeeksEndingOnTheAsOfDayOrAnExplicitRange() {
    CalibrationOptions options = CalibrationOptions.defaults();
    assertThat(options.observationWindow(DateWindow.day(LocalDate.parse("2026-11-22"))))
        .isEqualTo(new DateWindow(LocalDate.parse("2026-05-25"), LocalDate.parse("2026-11-22")));
    assertThat(options.withWeeks(1).observationWindow(DateWindow.day(LocalDate.parse("2026-11-22"))))
        .isEqualTo(new DateWindow(LocalDate.parse("2026-11-16"), LocalDate.parse("2026-11-22")));
    DateWindow explicit = new DateWindow(LocalDate.parse("2026-06-01"), LocalDate.parse("2026-11-22"));
    assertThat(options.observationWindow(explicit)).isEqualTo(explicit);
    assertThat(options.calibrationId(explicit)).isEqualTo("3pl-2026-06-01..2026-11-22");
    assertThat(options.withModel(ItemModel.TWO_PL).withPriors(false).calibrationId(explicit))
        .isEqualTo("2pl-mle-2026-06-01..2026-11-22");
    assertThat(CalibrationOptions.parseModel("Rasch")).isEqualTo(ItemModel.RASCH);
  }
}
