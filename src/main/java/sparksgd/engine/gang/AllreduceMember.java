package sparksgd.engine.gang;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.engine.PartitionWorker;
import sparksgd.optim.Optimizer;
import sparksgd.optim.OptimizerState;

/**
 * One task's side of allreduce mode: it holds the parameters and optimizer state, links into the
 * ring when the driver sends the peers' addresses, and answers the driver's requests. A step is this
 * partition's gradient ({@link PartitionWorker}), the partition-order sum with every other task
 * ({@link ChainReduce}), then the same optimizer update the driver would apply, on every task: the
 * state stays identical everywhere and equal to driver mode's bit for bit.
 */
final class AllreduceMember implements AutoCloseable {
  private final PartitionWorker worker;
  private final Optimizer optimizer;
  private final List<PartitionData> data;
  private final int partition;
  private final byte[] secret;
  private final int stageId;
  private final int attempt;
  private final long connectMillis;
  private final long stepTimeoutMillis;
  private final int chunk;
  private final PeerRing ring;
  private ChainReduce chain;
  private double[] params;
  private OptimizerState state;

  AllreduceMember(PartitionWorker worker, Optimizer optimizer, List<PartitionData> data, int partition,
      byte[] secret, int stageId, int attempt, long connectMillis, long stepTimeoutMillis, int chunk) {
    this.worker = worker;
    this.optimizer = optimizer;
    this.data = data;
    this.partition = partition;
    this.secret = secret;
    this.stageId = stageId;
    this.attempt = attempt;
    this.connectMillis = connectMillis;
    this.stepTimeoutMillis = stepTimeoutMillis;
    this.chunk = chunk;
    this.ring = PeerRing.listen();
  }

  /** Where the ring listener waits for this task's predecessor. */
  int port() {
    return ring.port();
  }

  /** The answer to one message from the driver (null: none is due). */
  GangMessage answer(GangMessage m) throws IOException, InterruptedException {
    if (m instanceof GangMessage.Peers p) {
      int n = p.hosts().length;
      if (n > 1) {
        ring.link(p, partition, secret, stageId, attempt, connectMillis, stepTimeoutMillis);
      } else {
        ring.close();
      }
      chain = new ChainReduce(ring, partition, n, chunk, ReduceEncoding.DenseFloat64.INSTANCE, stepTimeoutMillis);
      return null;
    }
    if (m instanceof GangMessage.Load l) {
      load(l);
      return new GangMessage.Result(l.id(), new double[0][]);
    }
    if (m instanceof GangMessage.Update u) {
      return update(u);
    }
    if (m instanceof GangMessage.Evaluate e) {
      double[] at = e.params().length == 0 ? held() : e.params();
      Split split = Split.values()[e.split()];
      double[][] parts = new double[data.size()][];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = worker.evaluate(data.get(i), split, at);
      }
      return new GangMessage.Result(e.id(), parts);
    }
    if (m instanceof GangMessage.Fetch f) {
      return new GangMessage.Result(f.id(), partition == 0 ? snapshot() : new double[0][]);
    }
    throw new GangException("allreduce task cannot answer " + m.getClass().getSimpleName());
  }

  private void load(GangMessage.Load l) {
    params = l.params().clone();
    state = optimizer.initialise(params.length);
    Map<String, double[]> slots = state.slots();
    if (slots.size() != l.slots().length) {
      throw new GangException("optimizer " + optimizer.name() + " has " + slots.size() + " state slots, the driver sent "
          + l.slots().length);
    }
    int i = 0;
    for (double[] slot : slots.values()) {
      if (slot.length != l.slots()[i].length) {
        throw new GangException("optimizer state slot " + i + " has " + l.slots()[i].length + " values, expected "
            + slot.length);
      }
      System.arraycopy(l.slots()[i++], 0, slot, 0, slot.length);
    }
    state.setStep(l.optimizerStep());
  }

  private GangMessage update(GangMessage.Update u) throws IOException, InterruptedException {
    double[] p = held();
    if (chain == null) {
      throw new GangException("step before the ring was linked");
    }
    double[][] parts = new double[data.size()][];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = worker.step(data.get(i), u.epoch(), u.step(), p);
    }
    int n = p.length;
    long sentBefore = chain.bytesSent();
    double[] total = chain.allreduce(u.id(), parts, n + 2);
    double lossSum = total[n];
    double rows = total[n + 1]; // or the weight sum of weighted rows
    // Exactly the driver's arithmetic (Trainer): mean gradient, then the optimizer's update.
    double[] grad = Arrays.copyOf(total, n);
    double inv = rows > 0 ? 1.0 / rows : 0; // as the driver: rows that all weigh 0 give a zero gradient
    for (int i = 0; i < n; i++) {
      grad[i] *= inv;
    }
    optimizer.step(p, grad, state, u.learningRate());
    return new GangMessage.Result(u.id(),
        new double[][] {{lossSum, rows, chain.bytesSent() - sentBefore}});
  }

  private double[] held() {
    if (params == null) {
      throw new GangException("no parameters loaded");
    }
    return params;
  }

  /** {@code [params, slot..., [optimizer step]]}. */
  private double[][] snapshot() {
    double[] p = held();
    double[][] out = new double[state.slots().size() + 2][];
    out[0] = p;
    int i = 1;
    for (double[] slot : state.slots().values()) {
      out[i++] = slot;
    }
    out[i] = new double[] {state.step()};
    return out;
  }

  /** Closes the ring (unblocks a step waiting on a peer); safe from any thread. */
  @Override
  public void close() {
    ring.close();
    if (chain != null) {
      chain.close();
    }
  }
}
