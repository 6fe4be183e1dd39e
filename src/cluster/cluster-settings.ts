/**
 * Failure-detection settings with test-friendly defaults: a fail-over takes seconds, not half a minute.
 * Any Kafka broker key can be set with `--set key=value`; these are the ones chaos tests depend on.
 */
export const DEFAULT_BROKER_SETTINGS: Readonly<Record<string, string>> = {
  // KRaft: the controller fences a broker that missed heartbeats for this long (Kafka default 9000).
  'broker.session.timeout.ms': '6000',
  'broker.heartbeat.interval.ms': '1000',
  // A follower that stops fetching leaves the ISR after this (Kafka default 30000).
  'replica.lag.time.max.ms': '6000',
  // ZooKeeper mode: a broker cut off from ZooKeeper loses its session after this (Kafka default 18000).
  'zookeeper.session.timeout.ms': '6000',
  // Leadership stays where failures put it, so a test sees the fail-over it caused.
  'auto.leader.rebalance.enable': 'false',
  'min.insync.replicas': '1',
  'unclean.leader.election.enable': 'false',
  'group.initial.rebalance.delay.ms': '0',
  'num.partitions': '1',
  // Small heaps: the cleaner's dedupe buffer defaults to 128 MiB.
  'log.cleaner.dedupe.buffer.size': '8388608',
  'num.network.threads': '2',
  'num.io.threads': '4',
  'num.recovery.threads.per.data.dir': '1',
  'delete.topic.enable': 'true',
};

/** ZooKeeper's tick bounds its session timeouts to 2..20 ticks; 500 ms allows 1 s..10 s sessions. */
export const ZOOKEEPER_TICK_MS = 500;

export interface JvmSettings {
  readonly heapMb: number;
  readonly extraArgs: readonly string[];
}

export const DEFAULT_JVM_SETTINGS: JvmSettings = {
  heapMb: 512,
  extraArgs: ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k', '-Djava.net.preferIPv4Stack=true', '-Djava.awt.headless=true'],
};
