package sparksgd.sweep;

/** The sweep was asked to stop (SIGTERM, Ctrl-C) while a trial ran; the trial is left unfinished. */
public final class SweepInterrupted extends RuntimeException {
  public SweepInterrupted(String message) {
    super(message);
  }
}
