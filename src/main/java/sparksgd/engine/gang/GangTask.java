package sparksgd.engine.gang;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;
import sparksgd.data.PartitionData;
import sparksgd.data.Split;
import sparksgd.engine.ParamChanges;
import sparksgd.engine.PartitionWorker;
import sparksgd.optim.Optimizer;

/**
 * What each task of the gang's barrier stage runs: connect to the driver, say hello, then answer
 * requests with {@link PartitionWorker} until told to stop. Holds only what the task needs (the
 * driver's address, the run's secret, the worker and a few settings), so the closure stays small.
 *
 * <p>Requests are answered on the connection's event loop thread while the task's own thread is the
 * watchdog: it never blocks on the socket, polls every {@link #POLL_MILLIS} ms and ends the task (closing
 * the connection) as soon as Spark marks it killed (a failed barrier attempt's tasks are marked, not
 * interrupted), so an old attempt never holds a core the new attempt needs.
 */
final class GangTask extends AbstractFunction1<scala.collection.Iterator<PartitionData>, scala.collection.Iterator<Long>>
    implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long POLL_MILLIS = 20;
  private final String host;
  private final int port;
  private final byte[] secret;
  private final PartitionWorker worker;
  private final long connectTimeoutMillis;
  private final FaultInjection fault;
  /** Allreduce mode: the update rule the tasks apply themselves; null in driver mode. */
  private final Optimizer optimizer;
  private final long stepTimeoutMillis;
  private final int chunk;

  GangTask(String host, int port, byte[] secret, PartitionWorker worker, Duration connectTimeout,
      FaultInjection fault) {
    this(host, port, secret, worker, connectTimeout, fault, null, connectTimeout, ChainReduce.DEFAULT_CHUNK);
  }

  GangTask(String host, int port, byte[] secret, PartitionWorker worker, Duration connectTimeout,
      FaultInjection fault, Optimizer optimizer, Duration stepTimeout, int chunk) {
    this.host = host;
    this.port = port;
    this.secret = secret.clone();
    this.worker = worker;
    this.connectTimeoutMillis = connectTimeout.toMillis();
    this.fault = fault;
    this.optimizer = optimizer;
    this.stepTimeoutMillis = stepTimeout.toMillis();
    this.chunk = chunk;
  }

  @Override
  public scala.collection.Iterator<Long> apply(scala.collection.Iterator<PartitionData> it) {
    TaskContext ctx = TaskContext.get();
    List<PartitionData> data = new ArrayList<>();
    CollectionConverters.asJava(it).forEachRemaining(data::add);
    return CollectionConverters.asScala(List.of(run(ctx, data)).iterator());
  }

  /**
   * Serves requests until STOP; returns how many it served. Requests are answered on the client's
   * event loop (one thread hand-off less per step); this thread watches for the end: STOP, a refusal,
   * the connection's loss, the answering code's failure, or Spark marking the task killed.
   */
  private long run(TaskContext ctx, List<PartitionData> data) {
    int partition = ctx.partitionId();
    int attempt = ctx.stageAttemptNumber();
    AtomicLong served = new AtomicLong();
    AtomicLong current = new AtomicLong(-1);
    double[][] held = new double[1][]; // driver mode: the parameters of the last step (changes apply to them)
    AllreduceMember member = optimizer == null ? null : new AllreduceMember(worker, optimizer, data, partition,
        secret, ctx.stageId(), attempt, connectTimeoutMillis, stepTimeoutMillis, chunk);
    GangClient.Responder responder = message -> {
      if (!(message instanceof GangMessage.Request request)) {
        return member == null ? null : member.answer(message); // the ring's addresses
      }
      current.set(request.id());
      if (request instanceof GangMessage.Update u) {
        injectFault(ctx, partition, u.epoch(), u.step(), attempt);
      }
      if (member != null) {
        GangMessage answer = member.answer(request);
        served.incrementAndGet();
        return answer;
      }
      GangMessage.Result result = driverModeAnswer(ctx, data, request, held);
      served.incrementAndGet();
      return result;
    };
    GangClient client;
    try {
      client = GangClient.connect(host, port, Duration.ofMillis(connectTimeoutMillis), responder);
    } catch (RuntimeException e) {
      if (member != null) {
        member.close();
      }
      throw e;
    }
    try {
      client.send(member == null ? new GangMessage.Hello(secret, partition, ctx.stageId(), attempt)
          : new GangMessage.Hello(secret, partition, ctx.stageId(), attempt, ownHost(ctx, partition), member.port()));
      while (true) {
        GangMessage m = client.poll(POLL_MILLIS);
        if (m == null) {
          checkKilled(ctx);
        } else if (m instanceof GangMessage.Stop) {
          return served.get();
        } else if (m instanceof GangMessage.Refused r) {
          throw new GangException("the driver refused partition " + partition + " of stage attempt " + attempt
              + ": " + r.reason());
        } else {
          throw new GangException("unexpected message from the driver: " + m.getClass().getSimpleName());
        }
      }
    } catch (TaskKilledException | GangClient.Closed e) {
      throw e;
    } catch (Exception | Error e) {
      try {
        client.send(new GangMessage.Failed(current.get(), stackTrace(e)));
      } catch (RuntimeException ignored) {
        // the connection may already be gone; the task fails either way
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new TaskKilledException("interrupted");
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      if (e instanceof Error er) {
        throw er;
      }
      throw new GangException("partition " + partition + " failed: " + e, e);
    } finally {
      if (member != null) {
        member.close(); // first: unblocks the event loop if a step waits on a peer
      }
      client.close();
    }
  }

  /**
   * Driver mode: this partition's gradient sums of a step ({@link sparksgd.engine.StepParts}: sparse when
   * smaller), or its evaluation sums, for the driver to add. A step's parameters are kept in
   * {@code held[0]} for the next step, which may bring only what changed.
   */
  private GangMessage.Result driverModeAnswer(TaskContext ctx, List<PartitionData> data, GangMessage.Request request,
      double[][] held) throws InterruptedException {
    double[][] parts = new double[data.size()][];
    if (request instanceof GangMessage.Step s) {
      injectFault(ctx, ctx.partitionId(), s.epoch(), s.step(), ctx.stageAttemptNumber());
      if (s.changes() == null) {
        held[0] = s.params();
      } else if (held[0] == null) {
        throw new GangException("parameter changes for " + s.describe() + " reached a task that holds no parameters");
      } else {
        ParamChanges.apply(s.changes(), held[0]);
      }
      for (int i = 0; i < parts.length; i++) {
        parts[i] = worker.stepPart(data.get(i), s.epoch(), s.step(), held[0], null);
      }
    } else if (request instanceof GangMessage.Evaluate e) {
      Split split = Split.values()[e.split()];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = worker.evaluate(data.get(i), split, e.params());
      }
    }
    return new GangMessage.Result(request.id(), parts);
  }

  /**
   * The host ring neighbours reach this task at: its executor's, from the barrier context's task
   * infos (loopback when the driver is, i.e. in local mode).
   */
  private String ownHost(TaskContext ctx, int partition) {
    if (host.equals("127.0.0.1") || host.equals("localhost") || !(ctx instanceof BarrierTaskContext b)) {
      return host;
    }
    BarrierTaskInfo[] infos = b.getTaskInfos();
    if (partition < infos.length) {
      String address = infos[partition].address();
      int colon = address.lastIndexOf(':');
      String h = colon > 0 ? address.substring(0, colon) : address;
      if (!h.isEmpty()) {
        return h;
      }
    }
    return host;
  }

  private static void checkKilled(TaskContext ctx) {
    if (ctx.isInterrupted()) {
      throw new TaskKilledException(ctx.getKillReason().isDefined() ? ctx.getKillReason().get() : "killed");
    }
  }

  private void injectFault(TaskContext ctx, int partition, int epoch, int step, int attempt)
      throws InterruptedException {
    if (fault == null || !fault.matches(partition, epoch, step, attempt)) {
      return;
    }
    if (fault.kind() == FaultInjection.Kind.THROW) {
      throw new IllegalStateException("injected fault: partition " + partition + ", epoch " + epoch
          + ", step " + step + ", stage attempt " + attempt);
    }
    while (true) { // STALL: answer nothing until Spark kills the task
      checkKilled(ctx);
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static String stackTrace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
