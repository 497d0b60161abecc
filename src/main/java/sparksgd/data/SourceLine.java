package sparksgd.data;

import java.io.Serializable;

/** A raw input line with its place: source index (in job order) and 1-based line number. */
public record SourceLine(int source, long line, String text) implements Serializable {}
