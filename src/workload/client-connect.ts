import { FaultlineError } from '../errors.js';
import { withinMs } from '../util/time.js';
import { rdkafka, settle, type RdKafkaTypes } from '../kafka/rdkafka.js';
import { producerConfig, type ProducerClientSettings } from './producer-config.js';

type KafkaClient = RdKafkaTypes.Producer | RdKafkaTypes.KafkaConsumer;

/** Beyond the client's own connect timeout, how long before a connect that never called back fails. */
const CONNECT_GRACE_MS = 5000;

/**
 * Disconnects still running inside librdkafka. One can outlive its bound (a transactional producer waiting for a
 * coordinator that is down) and, left running when the cluster goes away, block the process's exit for good:
 * awaitLingeringDisconnects lets them finish while the cluster is still up, and closingClientCount tells an exiting
 * process that its exit may block (see exit-process.ts).
 */
const closing = new Set<Promise<void>>();

/** Starts a disconnect and waits for it at most boundMs; it stays counted until librdkafka calls back. */
export function trackedDisconnect(start: (done: () => void) => void, boundMs: number): Promise<void> {
  const finished = new Promise<void>((resolve) => start(resolve));
  closing.add(finished);
  void finished.then(() => closing.delete(finished));
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, boundMs);
    void finished.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Waits (at most timeoutMs) for disconnects still running; returns how many are still running then. */
export async function awaitLingeringDisconnects(timeoutMs: number): Promise<number> {
  if (closing.size === 0) return 0;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all([...closing]), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  return closing.size;
}

/** How many client disconnects are still running inside librdkafka. */
export function closingClientCount(): number {
  return closing.size;
}

/** Disconnects a librdkafka client, waiting at most timeoutMs (a client talking to a dead broker may never call back). */
export function disconnectBounded(client: KafkaClient, timeoutMs = 5000): Promise<void> {
  return trackedDisconnect((done) => client.disconnect(() => done()), timeoutMs);
}

/** Connects a librdkafka client; on failure disconnects it (its threads would otherwise linger) and says where. */
export async function connectOrDisconnect(client: KafkaClient, what: string, bootstrap: string, timeoutMs = 15_000): Promise<void> {
  try {
    const connecting = new Promise<void>((resolve, reject) => {
      client.connect({ timeout: timeoutMs }, settle(() => resolve(), reject));
    });
    // Bounded here too: a connect queued behind blocked librdkafka calls on libuv's pool never calls back.
    await withinMs(connecting, timeoutMs + CONNECT_GRACE_MS, 'connect');
  } catch (error) {
    await disconnectBounded(client);
    throw new FaultlineError(`${what} cannot connect to ${bootstrap}: ${(error as Error).message}`);
  }
}

/** A connected producer with delivery reports on, polled every 5 ms. */
export async function openProducer(settings: ProducerClientSettings, what: string): Promise<RdKafkaTypes.Producer> {
  const { Producer } = rdkafka();
  const producer = new Producer(producerConfig(settings));
  await connectOrDisconnect(producer, what, settings.bootstrap);
  producer.setPollInterval(5);
  return producer;
}

export async function closeProducer(producer: RdKafkaTypes.Producer): Promise<void> {
  producer.setPollInterval(0);
  await disconnectBounded(producer);
}
