package sparksgd.data;

/** Which part of the data a row belongs to. */
public enum Split {
  TRAIN, VALIDATION, TEST;

  public String lower() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
