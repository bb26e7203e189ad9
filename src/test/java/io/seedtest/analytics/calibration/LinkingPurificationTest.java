package io.seedtest.analytics.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.ScaleTransform;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-made calibrations with a known link θ_ref = 1.2·θ_own + 0.3: 40 common items whose current
 * estimates are the previous ones moved to the own scale plus noise well inside their SEs, four of
 * them leaked (b on the common scale 0.8 lower).
 */
class LinkingPurificationTest {
  private static final ScaleTransform TRUE_LINK = new ScaleTransform(1.2, 0.3);
  private static final int ITEMS = 40;
  private static final long[] LEAKED = {3, 11, 22, 35};
  private static final double SE_A = 0.08;
  private static final double SE_B = 0.10;

  private final long[] ids = new long[ITEMS];
  private final ItemParams[] own = new ItemParams[ITEMS];
  private final Map<Long, ItemParams> previousItems = new HashMap<>();

  LinkingPurificationTest() {
    Random random = new Random(19);
    ScaleTransform toOwn = TRUE_LINK.inverse();
    for (int j = 0; j < ITEMS; j++) {
      ids[j] = j;
      double a = Math.exp(0.25 * random.nextGaussian());
      double b = -2.0 + 4.0 * j / (ITEMS - 1);
      double c = 0.15;
      previousItems.put((long) j, new ItemParams(a, b, c, SE_A, SE_B, 0.02));
      double bNow = leaked(j) ? b - 0.8 : b;
      // Noise of a third of an SE: stable items must stay far from any threshold.
      ItemParams common = new ItemParams(a + SE_A / 3 * random.nextGaussian(), bNow + SE_B / 3 * random.nextGaussian(),
          c, SE_A, SE_B, 0.02);
      own[j] = toOwn.apply(common);
    }
  }

  private static boolean leaked(long id) {
    for (long l : LEAKED) {
      if (l == id) {
        return true;
      }
    }
    return false;
  }

  private Optional<PreviousCalibration> previous() {
    return Optional.of(new PreviousCalibration("prev", LocalDate.parse("2026-11-01"), ScaleTransform.IDENTITY,
        previousItems));
  }

  @Test
  void purificationFlagsExactlyTheLeakedItemsAndRestoresTheTransform() {
    Linking unpurified = Linking.decide(previous(), ids, own, 0.0);
    Linking purified = Linking.decide(previous(), ids, own, 0.05);

    // Without purification the four leaked items pull the intercept: every θ would move.
    assertThat(Math.abs(unpurified.transform().b() - TRUE_LINK.b())).isGreaterThan(0.03);
    assertThat(unpurified.purgedItems()).isZero();
    assertThat(unpurified.driftFlagged()).isZero();

    assertThat(purified.method()).isEqualTo(Linking.STOCKING_LORD);
    // The purified link is the link over the stable items alone, and near the truth (noise in a).
    java.util.List<ItemParams> ref = new java.util.ArrayList<>();
    java.util.List<ItemParams> cur = new java.util.ArrayList<>();
    for (int j = 0; j < ITEMS; j++) {
      if (!leaked(j)) {
        ref.add(previousItems.get((long) j));
        cur.add(own[j]);
      }
    }
    ScaleTransform stable = new io.seedtest.analytics.irt.StockingLord()
        .link(ref.toArray(ItemParams[]::new), cur.toArray(ItemParams[]::new)).transform();
    assertThat(purified.transform()).isEqualTo(stable);
    assertThat(purified.transform().a()).isCloseTo(TRUE_LINK.a(), within(0.02));
    assertThat(purified.transform().b()).isCloseTo(TRUE_LINK.b(), within(0.01));
    assertThat(purified.commonItems()).isEqualTo(ITEMS);
    assertThat(purified.anchorItems()).isEqualTo(ITEMS - LEAKED.length);
    assertThat(purified.purgedItems()).isEqualTo(LEAKED.length);
    assertThat(purified.driftTested()).isEqualTo(ITEMS);
    for (Linking.ItemDriftRow row : purified.drift()) {
      assertThat(row.result().flagged()).as("item %d flagged", row.itemId()).isEqualTo(leaked(row.itemId()));
      assertThat(row.anchor()).as("item %d anchor", row.itemId()).isEqualTo(!leaked(row.itemId()));
      if (leaked(row.itemId())) {
        assertThat(row.result().deltaB()).isCloseTo(-0.8, within(0.1));
        assertThat(row.result().q()).isLessThan(0.05);
      }
    }
  }

  @Test
  void withoutDriftNothingIsPurgedAndTheLinkIsTheAllItemsLink() {
    for (long l : LEAKED) {
      ItemParams p = previousItems.get(l);
      // Undo the leak: the current estimate of the item is back at its previous b.
      int j = (int) l;
      ItemParams common = TRUE_LINK.apply(own[j]);
      own[j] = TRUE_LINK.inverse().apply(new ItemParams(common.a(), p.b(), common.c(), SE_A, SE_B, 0.02));
    }
    Linking all = Linking.decide(previous(), ids, own, 0.0);
    Linking purified = Linking.decide(previous(), ids, own, 0.05);
    assertThat(purified.purgedItems()).isZero();
    assertThat(purified.driftFlagged()).isZero();
    assertThat(purified.transform()).isEqualTo(all.transform());
  }
}
