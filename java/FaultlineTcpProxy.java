import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Degraded-link TCP proxy for hosts that have Java but maybe not Node: the twin of src/net/tcp-proxy.ts, with the
 * semantics of docs/faults-network-degrade.md (latency + jitter per chunk per degraded direction, never reordering;
 * one token bucket per degraded direction shared by all connections; flaky up/down windows resetting connections;
 * half-close forwarded after queued data; bounded queues; an unreachable target resets the client).
 *
 * <pre>java -XX:+UseSerialGC -cp DIR FaultlineTcpProxy listenHost=H listenPort=N targetHost=H targetPort=N [key=value...]</pre>
 *
 * Prints one line once listening, {"ready":true,"port":N,"pid":P}; bad arguments print {"ready":false,"error":"field: ..."}
 * and exit 2, a port that cannot be bound exits 3 the same way. SIGTERM/SIGINT close everything and exit 0;
 * SIGHUP is ignored. Plain JDK, compiled with javac --release 11.
 *
 * Why one java.nio selector thread rather than threads per socket: the Node proxy is an event loop, and one thread
 * gives the same semantics without locks. The shared token buckets, the seeded PRNG (one sequence in arrival order)
 * and the flaky schedule are touched by one thread only; pausing a source is removing OP_READ from its interest set
 * (the kernel's receive window then pushes back on the sender), a full destination is OP_WRITE; and 1024 connections
 * cost 2048 channels instead of 2048-4096 threads next to a Kafka broker.
 */
public final class FaultlineTcpProxy {
  static final int DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;
  static final int DEFAULT_MAX_CONNECTIONS = 1024;
  /** One hour: larger delays are almost certainly a unit mistake (seconds vs ms). */
  static final double MAX_LATENCY_MS = 3_600_000;
  static final double MAX_BANDWIDTH_BYTES_PER_SEC = 9007199254740991.0; // Number.MAX_SAFE_INTEGER, as in Node
  /** Chunks kept before pausing the source, whatever their size (bounds the queue as well as its bytes). */
  static final int MAX_QUEUED_CHUNKS = 8192;
  /** Pieces written per pump before yielding to the loop, so one fast pipe cannot starve others. */
  static final int MAX_WRITES_PER_PUMP = 256;
  /** Largest chunk one read takes, as Node's 64 KiB reads. */
  static final int READ_BUFFER_BYTES = 64 * 1024;
  /** Connections accepted per readiness event before serving other sockets. */
  static final int MAX_ACCEPTS_PER_EVENT = 64;
  /** After accept() failed (EMFILE: out of descriptors), the listener rests this long instead of spinning. */
  static final long ACCEPT_RETRY_MS = 100;
  /** Timers run per loop turn before polling sockets again. */
  static final int MAX_TIMERS_PER_TURN = 4096;
  /** Cancelled timers wait in the heap until due (up to an hour); above this many (and half the heap) they are purged. */
  static final int MAX_CANCELLED_TIMERS = 1024;
  /** A close that hangs (should not happen) must not keep a killed proxy alive forever. */
  static final long CLOSE_TIMEOUT_MS = 5_000;
  static final int EXIT_USAGE = 2;
  static final int EXIT_ENVIRONMENT = 3;

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (UsageException e) {
      fail(e.getMessage(), EXIT_USAGE);
      return;
    }
    Proxy proxy;
    try {
      preload();
      proxy = new Proxy(options);
    } catch (IOException | RuntimeException e) {
      fail("tcp proxy: cannot listen on " + options.listenHost + ":" + options.listenPort + ": " + describe(e), EXIT_ENVIRONMENT);
      return;
    }
    ignoreHangup();
    Thread loopThread = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      proxy.requestStop();
      try {
        loopThread.join(CLOSE_TIMEOUT_MS);
      } catch (InterruptedException ignored) {
        // exiting anyway
      }
      // A signal would otherwise end the JVM with 128+signal; a requested stop is a clean exit, as in Node.
      Runtime.getRuntime().halt(0);
    }, "faultline-proxy-stop"));
    // System.out never throws: a parent that closed the pipe after the ready line just makes checkError() true.
    System.out.println("{\"ready\":true,\"port\":" + proxy.port() + ",\"pid\":" + ProcessHandle.current().pid() + "}");
    System.out.flush();
    try {
      proxy.run();
    } catch (IOException | RuntimeException | Error e) {
      System.err.print("faultline tcp proxy failed: ");
      e.printStackTrace();
      Runtime.getRuntime().halt(1);
    }
  }

  /**
   * Out of descriptors (EMFILE) the JVM can neither open a class file nor set up its first socket close (a lazily
   * initialised helper opens a socket pair), and would die; so both happen at start.
   */
  static void preload() throws IOException {
    Class<?>[] loaded = {Connection.class, Pipe.class, Chunk.class, Timer.class, TokenBucket.class, Handler.class};
    assert loaded.length > 0; // class literals load their classes; nothing else to do with them
    SocketChannel.open().close();
  }

  static void fail(String message, int exitCode) {
    System.out.println("{\"ready\":false,\"error\":" + jsonString(message) + "}");
    System.out.flush();
    System.exit(exitCode);
  }

  static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * A detached proxy must outlive the terminal or SSH session that started it (Node's proxy ignores SIGHUP too).
   * sun.misc.Signal is reached by reflection so javac --release 11 compiles without internal-API warnings; where it is
   * missing, SIGHUP runs the shutdown hook, a clean exit.
   */
  static void ignoreHangup() {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object ignore = handlerClass.getField("SIG_IGN").get(null);
      Object hangup = signalClass.getConstructor(String.class).newInstance("HUP");
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, hangup, ignore);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // not available: see above
    }
  }

  static String jsonString(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  static double nowMs() {
    return System.nanoTime() / 1e6;
  }

  /** Bad input; the message starts with the field it is about. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The key=value arguments, validated with the ranges of src/net/tcp-proxy-options.ts. */
  static final class Options {
    static final List<String> KEYS = Arrays.asList("listenHost", "listenPort", "targetHost", "targetPort", "latencyMs",
        "jitterMs", "bandwidthBytesPerSec", "flakyUpMs", "flakyDownMs", "direction", "seed", "maxQueuedBytes",
        "maxConnections", "tag");
    static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");

    String listenHost;
    int listenPort;
    String targetHost;
    int targetPort;
    double latencyMs;
    double jitterMs;
    /** 0 = no limit. */
    double bandwidthBytesPerSec;
    /** Both 0 = not flaky. */
    double flakyUpMs;
    double flakyDownMs;
    String direction;
    long seed;
    int maxQueuedBytes;
    int maxConnections;

    static Options parse(String[] args) throws UsageException {
      Map<String, String> raw = new HashMap<>();
      for (String arg : args) {
        int equals = arg.indexOf('=');
        if (equals <= 0) throw new UsageException("arguments: expected key=value, got " + jsonString(arg));
        String key = arg.substring(0, equals);
        if (!KEYS.contains(key)) throw new UsageException(key + ": unknown option (allowed: " + String.join(", ", KEYS) + ")");
        if (raw.put(key, arg.substring(equals + 1)) != null) throw new UsageException(key + ": given more than once");
      }
      Options o = new Options();
      o.listenHost = host(raw, "listenHost");
      o.listenPort = (int) integer(raw, "listenPort", 0, 65535, null);
      o.targetHost = host(raw, "targetHost");
      o.targetPort = (int) integer(raw, "targetPort", 1, 65535, null);
      o.latencyMs = number(raw, "latencyMs", 0, MAX_LATENCY_MS, 0);
      o.jitterMs = number(raw, "jitterMs", 0, MAX_LATENCY_MS, 0);
      o.bandwidthBytesPerSec = number(raw, "bandwidthBytesPerSec", 1, MAX_BANDWIDTH_BYTES_PER_SEC, 0);
      o.flakyUpMs = number(raw, "flakyUpMs", 1, MAX_LATENCY_MS, 0);
      o.flakyDownMs = number(raw, "flakyDownMs", 1, MAX_LATENCY_MS, 0);
      if ((o.flakyUpMs == 0) != (o.flakyDownMs == 0)) {
        throw new UsageException((o.flakyUpMs == 0 ? "flakyUpMs" : "flakyDownMs") + ": required with "
            + (o.flakyUpMs == 0 ? "flakyDownMs" : "flakyUpMs"));
      }
      o.direction = raw.getOrDefault("direction", "both");
      if (!o.direction.equals("both") && !o.direction.equals("upstream") && !o.direction.equals("downstream")) {
        throw new UsageException("direction: expected 'both', 'upstream' or 'downstream', got " + jsonString(o.direction));
      }
      o.seed = integer(raw, "seed", -0x80000000L, 0xffffffffL, 1L);
      o.maxQueuedBytes = (int) integer(raw, "maxQueuedBytes", 1024, 1024 * 1024 * 1024, (long) DEFAULT_MAX_QUEUED_BYTES);
      o.maxConnections = (int) integer(raw, "maxConnections", 1, 65536, (long) DEFAULT_MAX_CONNECTIONS);
      return o;
    }

    static String host(Map<String, String> raw, String key) throws UsageException {
      String value = raw.get(key);
      if (value == null) throw new UsageException(key + ": required");
      if (value.isEmpty() || !value.equals(value.replaceAll("\\s", ""))) {
        throw new UsageException(key + ": expected a host name or IP address, got " + jsonString(value));
      }
      return value;
    }

    static double number(Map<String, String> raw, String key, double min, double max, double absent) throws UsageException {
      String value = raw.get(key);
      if (value == null) return absent;
      if (!NUMBER.matcher(value).matches()) throw new UsageException(key + ": expected a number, got " + jsonString(value));
      double parsed = Double.parseDouble(value);
      if (!(parsed >= min && parsed <= max)) throw new UsageException(key + ": " + value + " is out of range (" + plain(min) + ".." + plain(max) + ")");
      return parsed;
    }

    static long integer(Map<String, String> raw, String key, long min, long max, Long absent) throws UsageException {
      String value = raw.get(key);
      if (value == null) {
        if (absent == null) throw new UsageException(key + ": required");
        return absent;
      }
      if (!INTEGER.matcher(value).matches()) throw new UsageException(key + ": expected a whole number, got " + jsonString(value));
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) throw new UsageException(key + ": " + value + " is out of range (" + min + ".." + max + ")");
      return parsed;
    }

    static String plain(double value) {
      return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
  }

  /** mulberry32, the generator of src/util/seeded-random.ts: the same seed gives the same samples as Node. */
  static final class SeededRandom {
    private int state;

    SeededRandom(long seed) {
      this.state = (int) seed;
    }

    /** Uniform in [0, 1). */
    double next() {
      state += 0x6d2b79f5;
      int t = state;
      t = (t ^ (t >>> 15)) * (t | 1);
      t ^= t + (t ^ (t >>> 7)) * (t | 61);
      return ((t ^ (t >>> 14)) & 0xffffffffL) / 4294967296.0;
    }

    /** Uniform in [-spread, +spread]. */
    double symmetric(double spread) {
      return (next() * 2 - 1) * spread;
    }
  }

  /** The token bucket of src/net/token-bucket.ts: burst = 20 ms of rate within [1 B, 4 MiB], grants once burst/4 is there. */
  static final class TokenBucket {
    private final double rateBytesPerSec;
    private final double burstBytes;
    private double tokens;
    private double lastRefillMs;

    TokenBucket(double rateBytesPerSec, double nowMs) {
      this.rateBytesPerSec = rateBytesPerSec;
      this.burstBytes = Math.max(1, Math.min(4 * 1024 * 1024, Math.round(rateBytesPerSec * 0.02)));
      this.tokens = burstBytes;
      this.lastRefillMs = nowMs;
    }

    /** Grants up to wantedBytes; 0 while fewer than min(wanted, burst/4) tokens are there (no 1-byte dribbles). */
    int take(int wantedBytes, double nowMs) {
      refill(nowMs);
      if (tokens < threshold(wantedBytes)) return 0;
      int granted = (int) Math.min(wantedBytes, Math.floor(tokens));
      tokens -= granted;
      return granted;
    }

    /** Milliseconds until take(wantedBytes) would grant something. */
    double waitMs(int wantedBytes, double nowMs) {
      refill(nowMs);
      double missing = threshold(wantedBytes) - tokens;
      return missing <= 0 ? 0 : (missing / rateBytesPerSec) * 1000;
    }

    private double threshold(int wantedBytes) {
      return Math.min(wantedBytes, Math.max(1, Math.floor(burstBytes / 4)));
    }

    private void refill(double nowMs) {
      double elapsedMs = nowMs - lastRefillMs;
      if (elapsedMs > 0) {
        tokens = Math.min(burstBytes, tokens + (elapsedMs / 1000) * rateBytesPerSec);
        lastRefillMs = nowMs;
      }
    }
  }

  /** A one-shot timer of the loop; cancelled timers stay in the heap until they come due. */
  static final class Timer implements Comparable<Timer> {
    final double dueMs;
    final long sequence;
    final Runnable action;
    boolean cancelled;

    Timer(double dueMs, long sequence, Runnable action) {
      this.dueMs = dueMs;
      this.sequence = sequence;
      this.action = action;
    }

    @Override
    public int compareTo(Timer other) {
      int byDue = Double.compare(dueMs, other.dueMs);
      return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
    }
  }

  /** What the loop calls when a channel's key is selected. */
  interface Handler {
    void ready(SelectionKey key);
  }

  /** The listener, the event loop, the shared buckets, the PRNG and the flaky schedule. */
  static final class Proxy {
    final Options options;
    final Selector selector;
    final ServerSocketChannel server;
    final SelectionKey serverKey;
    final Set<Connection> connections = new HashSet<>();
    final PriorityQueue<Timer> timers = new PriorityQueue<>();
    final SeededRandom random;
    final TokenBucket upstreamBucket;
    final TokenBucket downstreamBucket;
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    long timerSequence;
    int cancelledTimers;
    boolean linkUp = true;
    volatile boolean stopRequested;

    Proxy(Options options) throws IOException {
      this.options = options;
      this.random = new SeededRandom(options.seed);
      double nowMs = nowMs();
      boolean limited = options.bandwidthBytesPerSec > 0;
      this.upstreamBucket = limited && !options.direction.equals("downstream") ? new TokenBucket(options.bandwidthBytesPerSec, nowMs) : null;
      this.downstreamBucket = limited && !options.direction.equals("upstream") ? new TokenBucket(options.bandwidthBytesPerSec, nowMs) : null;
      this.selector = Selector.open();
      this.server = ServerSocketChannel.open();
      try {
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as Node's listen: a TIME_WAIT port can be bound again
        server.bind(new InetSocketAddress(options.listenHost, options.listenPort), 511);
        server.configureBlocking(false);
        serverKey = server.register(selector, SelectionKey.OP_ACCEPT, (Handler) key -> acceptAll());
      } catch (IOException | RuntimeException e) {
        server.close();
        selector.close();
        throw e;
      }
    }

    int port() {
      return server.socket().getLocalPort();
    }

    /** From the shutdown hook's thread: the loop closes everything and returns. */
    void requestStop() {
      stopRequested = true;
      selector.wakeup();
    }

    Timer schedule(double delayMs, Runnable action) {
      Timer timer = new Timer(nowMs() + Math.max(0, delayMs), timerSequence++, action);
      timers.add(timer);
      return timer;
    }

    void cancel(Timer timer) {
      if (timer.cancelled) return;
      timer.cancelled = true;
      cancelledTimers++;
      // Connections that come and go under a long latency would otherwise keep their closed pipes reachable till then.
      if (cancelledTimers > MAX_CANCELLED_TIMERS && cancelledTimers * 2 > timers.size()) {
        timers.removeIf(t -> t.cancelled);
        cancelledTimers = 0;
      }
    }

    void run() throws IOException {
      scheduleFlaky();
      while (!stopRequested) {
        long waitMs = runDueTimers();
        if (stopRequested) break;
        if (waitMs == 0) selector.selectNow();
        else selector.select(waitMs < 0 ? 0 : waitMs);
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid()) ((Handler) key.attachment()).ready(key);
        }
        selector.selectedKeys().clear();
      }
      closeAll();
    }

    /** Runs due timers (bounded); returns ms until the next one (rounded up: Node's setTimeout(ceil)), 0 if due, -1 if none. */
    long runDueTimers() {
      for (int ran = 0; ran < MAX_TIMERS_PER_TURN; ran++) {
        Timer head = timers.peek();
        if (head == null) return -1;
        double remainingMs = head.dueMs - nowMs();
        if (remainingMs > 0) return Math.max(1, (long) Math.ceil(remainingMs));
        timers.poll();
        if (head.cancelled) cancelledTimers--;
        else head.action.run();
      }
      return 0;
    }

    void acceptAll() {
      for (int accepted = 0; accepted < MAX_ACCEPTS_PER_EVENT; accepted++) {
        SocketChannel client;
        try {
          client = server.accept();
        } catch (IOException e) {
          // EMFILE and the like: the listener stays (as in Node) but rests, or the ready listener would spin the loop.
          serverKey.interestOps(0);
          schedule(ACCEPT_RETRY_MS, () -> {
            if (serverKey.isValid()) serverKey.interestOps(SelectionKey.OP_ACCEPT);
          });
          return;
        }
        if (client == null) return;
        if (stopRequested || !linkUp || connections.size() >= options.maxConnections) {
          reset(client); // flaky down window or too many connections: the client sees ECONNRESET, the port stays bound
          continue;
        }
        try {
          connections.add(new Connection(this, client));
        } catch (IOException | RuntimeException e) {
          reset(client); // the target cannot even be addressed: reset, as when it refuses
        }
      }
    }

    double sampleDelayMs(boolean upstream) {
      String degraded = options.direction;
      if (!degraded.equals("both") && !degraded.equals(upstream ? "upstream" : "downstream")) return 0;
      if (options.jitterMs == 0) return options.latencyMs;
      return Math.max(0, options.latencyMs + random.symmetric(options.jitterMs));
    }

    void scheduleFlaky() {
      if (options.flakyUpMs == 0 || stopRequested) return;
      schedule(linkUp ? options.flakyUpMs : options.flakyDownMs, () -> {
        linkUp = !linkUp;
        if (!linkUp) {
          // A broken link kills live connections too; clients see a reset, as after a real link failure.
          for (Connection connection : new ArrayList<>(connections)) connection.destroy(true);
        }
        scheduleFlaky();
      });
    }

    void closeAll() {
      for (Connection connection : new ArrayList<>(connections)) connection.destroy(false);
      closeQuietly(server);
      try {
        selector.selectNow(); // completes the deferred closes of channels that were registered
        selector.close();
      } catch (IOException ignored) {
        // exiting
      }
    }
  }

  static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // already broken
    }
  }

  /** SO_LINGER 0 then close: the peer gets a RST instead of a FIN. */
  static void reset(SocketChannel channel) {
    try {
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException | RuntimeException ignored) {
      // closing anyway
    }
    closeQuietly(channel);
  }

  /** One proxied connection: the client's socket, the socket to the target, and a pipe each way. */
  static final class Connection {
    final Proxy proxy;
    final SocketChannel client;
    final SocketChannel target;
    final SelectionKey clientKey;
    final SelectionKey targetKey;
    final Pipe upstream;
    final Pipe downstream;
    boolean targetConnected;
    boolean closed;

    Connection(Proxy proxy, SocketChannel client) throws IOException {
      this.proxy = proxy;
      this.client = client;
      this.upstream = new Pipe(this, true);
      this.downstream = new Pipe(this, false);
      SocketChannel opened = SocketChannel.open();
      this.target = opened;
      try {
        client.configureBlocking(false);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        opened.configureBlocking(false);
        opened.setOption(StandardSocketOptions.TCP_NODELAY, true);
        targetConnected = opened.connect(new InetSocketAddress(proxy.options.targetHost, proxy.options.targetPort));
        this.clientKey = client.register(proxy.selector, 0, (Handler) key -> guarded(() -> onClientReady(key)));
        this.targetKey = opened.register(proxy.selector, 0, (Handler) key -> guarded(() -> onTargetReady(key)));
      } catch (IOException | RuntimeException e) {
        closeQuietly(opened);
        throw e;
      }
      refreshInterest();
    }

    void onClientReady(SelectionKey key) {
      if (!closed && key.isValid() && key.isReadable()) upstream.onReadable();
      if (!closed && key.isValid() && key.isWritable()) downstream.onWritable();
    }

    void onTargetReady(SelectionKey key) {
      if (!closed && key.isValid() && key.isConnectable()) {
        try {
          targetConnected = target.finishConnect();
        } catch (IOException e) {
          destroy(true); // the target refused or is unreachable: reset the client
          return;
        }
        refreshInterest();
        if (targetConnected) upstream.pump(); // data the client sent meanwhile
        return;
      }
      if (!closed && key.isValid() && key.isReadable()) downstream.onReadable();
      if (!closed && key.isValid() && key.isWritable()) upstream.onWritable();
    }

    /** Runs one step of this connection; an unexpected error ends this connection (client reset), not the proxy. */
    void guarded(Runnable step) {
      try {
        step.run();
      } catch (RuntimeException e) {
        System.err.println("faultline tcp proxy: connection reset after an internal error: " + describe(e));
        destroy(true);
      }
    }

    /** An error on a socket ends the connection; when it is the target's, the client gets a reset (Node does the same). */
    void failed(boolean onTarget) {
      destroy(onTarget);
    }

    void refreshInterest() {
      if (closed) return;
      int clientOps = (upstream.wantsRead() ? SelectionKey.OP_READ : 0) | (downstream.wantsWrite() ? SelectionKey.OP_WRITE : 0);
      int targetOps = !targetConnected
          ? SelectionKey.OP_CONNECT
          : (downstream.wantsRead() ? SelectionKey.OP_READ : 0) | (upstream.wantsWrite() ? SelectionKey.OP_WRITE : 0);
      if (clientKey.isValid()) clientKey.interestOps(clientOps);
      if (targetKey.isValid()) targetKey.interestOps(targetOps);
    }

    /** Both directions delivered their FIN: the connection is done (half-open until then, like allowHalfOpen). */
    void maybeFinished() {
      if (upstream.ended && downstream.ended) destroy(false);
    }

    /** Closes both sockets, dropping queued data; resetClient sends the client a RST instead of a FIN. */
    void destroy(boolean resetClient) {
      if (closed) return;
      closed = true;
      upstream.dispose();
      downstream.dispose();
      proxy.connections.remove(this);
      if (resetClient) reset(client);
      else closeQuietly(client);
      closeQuietly(target);
    }
  }

  /** A chunk (what one read returned) and when it may be delivered. */
  static final class Chunk {
    final ByteBuffer data;
    final double dueMs;

    Chunk(ByteBuffer data, double dueMs) {
      this.data = data;
      this.dueMs = dueMs;
    }
  }

  /**
   * One direction of a connection: source → FIFO of (chunk, due time) → destination, as src/net/delayed-pipe.ts.
   * Due times never decrease (due = max(previous due, now + delay)), so jitter cannot reorder a stream. Bounded: the
   * source stops being read above maxQueuedBytes / MAX_QUEUED_CHUNKS and is read again below half; a piece the
   * destination did not take whole waits for OP_WRITE before the pump goes on.
   */
  static final class Pipe {
    final Connection connection;
    final boolean isUpstream;
    final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    long queuedBytes;
    double lastDueMs;
    /** The rest of a piece already granted by the bucket that the destination has not taken yet. */
    ByteBuffer unflushed;
    Timer timer;
    boolean sourcePaused;
    boolean sourceEnded;
    /** The FIN was forwarded to the destination. */
    boolean ended;
    boolean disposed;

    Pipe(Connection connection, boolean isUpstream) {
      this.connection = connection;
      this.isUpstream = isUpstream;
    }

    SocketChannel source() {
      return isUpstream ? connection.client : connection.target;
    }

    SocketChannel destination() {
      return isUpstream ? connection.target : connection.client;
    }

    TokenBucket bucket() {
      return isUpstream ? connection.proxy.upstreamBucket : connection.proxy.downstreamBucket;
    }

    boolean wantsRead() {
      return !disposed && !sourceEnded && !sourcePaused && (isUpstream || connection.targetConnected);
    }

    boolean wantsWrite() {
      return !disposed && unflushed != null;
    }

    void dispose() {
      disposed = true;
      cancelTimer();
      queue.clear();
      queuedBytes = 0;
      unflushed = null;
    }

    void onReadable() {
      ByteBuffer buffer = connection.proxy.readBuffer;
      buffer.clear();
      int read;
      try {
        read = source().read(buffer);
      } catch (IOException e) {
        connection.failed(!isUpstream);
        return;
      }
      if (read < 0) {
        sourceEnded = true;
        connection.refreshInterest();
        pump();
        return;
      }
      if (read == 0) return;
      buffer.flip();
      ByteBuffer chunk = ByteBuffer.allocate(read);
      chunk.put(buffer).flip();
      double dueMs = Math.max(lastDueMs, nowMs() + connection.proxy.sampleDelayMs(isUpstream));
      lastDueMs = dueMs;
      queue.addLast(new Chunk(chunk, dueMs));
      queuedBytes += read;
      if (!sourcePaused && (queuedBytes >= connection.proxy.options.maxQueuedBytes || queue.size() >= MAX_QUEUED_CHUNKS)) {
        sourcePaused = true;
        connection.refreshInterest();
      }
      // An armed timer or a pending write already covers the head; the new chunk waits behind it.
      if (timer == null && unflushed == null) pump();
    }

    void onWritable() {
      if (!writeUnflushed()) return;
      connection.refreshInterest();
      pump();
    }

    /** Writes what the destination takes of the pending piece; true when none is left (false also after a failure). */
    boolean writeUnflushed() {
      try {
        destination().write(unflushed);
      } catch (IOException e) {
        connection.failed(isUpstream);
        return false;
      }
      if (unflushed.hasRemaining()) return false;
      unflushed = null;
      return true;
    }

    void pump() {
      if (disposed || ended || unflushed != null) return;
      cancelTimer();
      if (isUpstream && !connection.targetConnected) return; // called again once connected
      for (int writes = 0; writes < MAX_WRITES_PER_PUMP; writes++) {
        Chunk head = queue.peekFirst();
        if (head == null) {
          if (sourceEnded) finish();
          return;
        }
        double nowMs = nowMs();
        if (head.dueMs > nowMs) {
          armTimer(head.dueMs - nowMs);
          return;
        }
        int wanted = head.data.remaining();
        int granted = wanted;
        TokenBucket bucket = bucket();
        if (bucket != null) {
          granted = bucket.take(wanted, nowMs);
          if (granted == 0) {
            armTimer(bucket.waitMs(wanted, nowMs));
            return;
          }
        }
        ByteBuffer piece = head.data.duplicate();
        piece.limit(piece.position() + granted);
        head.data.position(head.data.position() + granted);
        if (!head.data.hasRemaining()) queue.pollFirst();
        queuedBytes -= granted;
        maybeResumeSource();
        unflushed = piece;
        if (!writeUnflushed()) {
          if (!disposed) connection.refreshInterest(); // wait for OP_WRITE
          return;
        }
      }
      armTimer(0); // yield after a bounded burst of writes
    }

    void maybeResumeSource() {
      if (!sourcePaused) return;
      if (queuedBytes <= connection.proxy.options.maxQueuedBytes / 2 && queue.size() <= MAX_QUEUED_CHUNKS / 2) {
        sourcePaused = false;
        connection.refreshInterest();
      }
    }

    void armTimer(double delayMs) {
      timer = connection.proxy.schedule(delayMs, () -> connection.guarded(() -> {
        timer = null;
        pump();
      }));
    }

    void cancelTimer() {
      if (timer != null) connection.proxy.cancel(timer);
      timer = null;
    }

    /** Source ended and everything was delivered: forward the half-close. */
    void finish() {
      ended = true;
      try {
        destination().shutdownOutput();
      } catch (IOException e) {
        connection.failed(isUpstream);
        return;
      }
      connection.maybeFinished();
    }
  }
}
