package sparksgd.model;

/** Marker for a model's per-thread scratch buffers (activations, deltas) sized for a max batch. */
public interface Workspace {
  int maxRows();
}
