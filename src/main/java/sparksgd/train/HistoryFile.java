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
  private final Checkpointer checkpointer;
  private final BackgroundWriter writes;
  private final List<EpochRecord> rows;
  // The file's text so far: each epoch appends its own line instead of formatting every earlier one again.
  private final StringBuilder csv;

  /**
   * @param earlier rows of the run so far (a resumed run), else empty
   * @param checkpointer null: no checkpoints
   * @param writes null: written on the epoch loop's thread
   */
  public HistoryFile(RunFolder folder, Metric metric, List<EpochRecord> earlier, Checkpointer checkpointer,
      BackgroundWriter writes) {
    this.folder = folder;
    this.checkpointer = checkpointer;
    this.writes = writes;
    this.rows = new ArrayList<>(earlier);
    this.csv = new StringBuilder(HistoryCsv.render(rows, metric));
    if (checkpointer != null) {
      checkpointer.historySoFar(csv.toString());
    }
  }

  /** A fresh run's history, written as it goes. */
  public HistoryFile(RunFolder folder, Metric metric) {
    this(folder, metric, List.of(), null, null);
  }

  @Override
  public synchronized boolean afterEpoch(EpochRecord r, TrainerState state) {
    rows.add(r);
    String text = HistoryCsv.appendRow(csv, r).toString();
    if (writes != null) {
      writes.submit(() -> {
        folder.writeText("history.csv", text);
        return null;
      });
    } else {
      folder.writeText("history.csv", text);
    }
    if (checkpointer != null) {
      checkpointer.historySoFar(text);
    }
    return true;
  }

  public synchronized List<EpochRecord> rows() {
    return List.copyOf(rows);
  }
}
