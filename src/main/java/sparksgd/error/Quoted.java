package sparksgd.error;

/** A value quoted from a file or a config in a one-line error: at most 40 characters, control characters as '?'. */
public final class Quoted {
  private Quoted() {}

  public static String shorten(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 40; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f || c == '\uFFFD' ? '?' : c);
    }
    return s.length() > 40 ? sb + "..." : sb.toString();
  }
}
