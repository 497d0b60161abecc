package sparksgd.engine.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sparksgd.job.TrainingSpec.Exchange;

/** training.exchange = auto: small models stay on the driver, large model x partition counts go to the ring. */
class ExchangeChoiceTest {
  @Test
  void autoKeepsBostonSizeOnTheDriverAndSendsLargeModelsToTheRing() {
    ExchangeChoice boston = ExchangeChoice.choose("auto", 5_121, 2); // 13-64-64-1 MLP
    assertEquals("driver", boston.exchange());
    assertTrue(boston.describe().startsWith("exchange: driver (auto: 5,121 parameters x 2 partitions"),
        boston.describe());
    ExchangeChoice big = ExchangeChoice.choose("auto", 4_000_000, 2);
    assertEquals("allreduce", big.exchange());
    assertTrue(big.reason().contains("128.0 MB per step"), big.reason()); // 16 bytes x 4M x 2
    assertEquals("allreduce", ExchangeChoice.choose("auto", 1L << 17, 8).exchange()); // exactly the threshold
    assertEquals("driver", ExchangeChoice.choose("auto", (1L << 17) - 1, 8).exchange());
    assertEquals("driver", ExchangeChoice.choose("auto", 50_000_000, 1).exchange(), "nothing to reduce");
  }

  @Test
  void anExplicitChoiceIsKept() {
    assertEquals("allreduce", ExchangeChoice.choose("allreduce", 10, 2).exchange());
    assertEquals("driver", ExchangeChoice.choose("driver", 50_000_000, 64).exchange());
    assertThrows(IllegalArgumentException.class, () -> ExchangeChoice.choose("ring", 10, 2));
  }

  /** Sparse rows with plain SGD: the driver sends only the touched entries, so auto keeps it at any size. */
  @Test
  void autoKeepsTheDriverForSparseRowsUpdatedWhereTouched() {
    long params = (1L << 20) + 1; // a linear model over 2^20 hashed features
    assertEquals("allreduce", ExchangeChoice.choose(Exchange.AUTO, params, 2, false).exchange(), "dense rule");
    ExchangeChoice sparse = ExchangeChoice.choose(Exchange.AUTO, params, 8, true);
    assertEquals("driver", sparse.exchange());
    assertTrue(sparse.describe().contains("sparse rows"), sparse.describe());
    assertEquals("allreduce", ExchangeChoice.choose(Exchange.ALLREDUCE, params, 8, true).exchange(), "as configured");
  }
}
