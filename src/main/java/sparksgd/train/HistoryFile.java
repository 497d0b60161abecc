package sparksgd.train;

import java.util.ArrayList;
import java.util.List;
import sparksgd.store.RunFolder;

/**
 * A run's {@code history.csv}, rewritten after every epoch so a crashed run still shows its curve. Each
 * run has its own (the rows it holds are that run's: a resumed run's earlier rows, then its own); the
 * rows also go to the checkpointer so they are saved with each checkpoint.
 */
public final class HistoryFile implements EpochListener {
  private final RunFolder folder;
  private final Metric metric;
  private final Checkpointer checkpointer;
  private final BackgroundWriter writes;
  private final List<EpochRecord> rows;

  /**
   * @param earlier rows of the run so far (a resumed run), else empty
   * @param checkpointer null: no checkpoints
   * @param writes null: written on the epoch loop's thread
   */
  public HistoryFile(RunFolder folder, Metric metric, List<EpochRecord> earlier, Checkpointer checkpointer,
      BackgroundWriter writes) {
    this.folder = folder;
    this.metric = metric;
    this.checkpointer = checkpointer;
    this.writes = writes;
    this.rows = new ArrayList<>(earlier);
    if (checkpointer != null) {
      checkpointer.historySoFar(HistoryCsv.render(rows, metric));
    }
  }

  /** A fresh run's history, written as it goes. */
  public HistoryFile(RunFolder folder, Metric metric) {
    this(folder, metric, List.of(), null, null);
  }

  @Override
  public synchronized boolean afterEpoch(EpochRecord r, TrainerState state) {
    rows.add(r);
    String csv = HistoryCsv.render(rows, metric);
    if (writes != null) {
      writes.submit(() -> {
        folder.writeText("history.csv", csv);
        return null;
      });
    } else {
      folder.writeText("history.csv", csv);
    }
    if (checkpointer != null) {
      checkpointer.historySoFar(csv);
    }
    return true;
  }

  public synchronized List<EpochRecord> rows() {
    return List.copyOf(rows);
  }
}
