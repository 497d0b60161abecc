package sparksgd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import sparksgd.data.DataException;
import sparksgd.error.ErrorKind;
import sparksgd.error.KnownError;
import sparksgd.job.JobConfigException;
import sparksgd.store.RunLockedException;
import sparksgd.store.StoreException;
import sparksgd.train.TrainingDivergedException;

/** Failures are values with a kind; the README's exit codes are what each kind maps to. */
class ErrorHandlerTest {
  @Test
  void everyKindOfFailureHasItsDocumentedExitCode() {
    assertEquals(2, ErrorHandler.codeFor(new JobConfigException("training.epochs", "must be >= 1")));
    assertEquals(2, ErrorHandler.codeFor(new RunLockedException("locked")));
    assertEquals(2, ErrorHandler.codeFor(new KnownError(ErrorKind.USAGE, "output folder is not empty")));
    assertEquals(3, ErrorHandler.codeFor(new DataException("a.csv", 3, "x", "not a number")));
    assertEquals(4, ErrorHandler.codeFor(new TrainingDivergedException(1, 2, Double.NaN, 0.1)));
    assertEquals(1, ErrorHandler.codeFor(new StoreException("cannot read")));
    assertEquals(1, ErrorHandler.codeFor(new KnownError(ErrorKind.OTHER, "cannot create output folder")));
    assertEquals(1, ErrorHandler.codeFor(new IllegalStateException("a bug")));
    assertEquals(5, ErrorHandler.codeFor(new UserFacingException(ExitCodes.INTERRUPTED, "stopped")));
  }

  @Test
  void theMeaningfulFailureIsFoundInsideSparksWrappers() {
    DataException data = new DataException("a.csv", 7, "y", "empty value");
    RuntimeException wrapped = new RuntimeException("Job aborted", new RuntimeException("task failed", data));
    assertSame(data, ErrorHandler.find(wrapped));
    KnownError folder = new KnownError(ErrorKind.OTHER, "cannot create output folder x: disk full");
    assertSame(folder, ErrorHandler.find(new RuntimeException(folder)));
    // A plain store failure is not taken for the whole story: the outer exception stays in charge.
    RuntimeException outer = new RuntimeException("outer", new StoreException("damaged"));
    assertSame(outer, ErrorHandler.find(outer));
  }
}
