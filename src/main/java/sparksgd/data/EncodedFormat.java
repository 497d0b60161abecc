package sparksgd.data;

/** A row format with categorical columns: their cells of a line, and the encoder that turns them into slots. */
public interface EncodedFormat extends LineFormat {
  /** The encoder (null while the vocabulary is being learned). */
  CategoricalEncoder encoder();

  /** The categorical cells of a line as text, in {@code data.categorical} order. */
  String[] categories(SourceLine line);

  /** The same rows encoded by {@code e}, dense or sparse. */
  EncodedFormat with(CategoricalEncoder e, boolean sparseRows);
}
