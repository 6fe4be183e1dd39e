import { FaultlineError, UsageError } from '../../errors.js';
import { sendValue } from '../../history/operation.js';
import { rdkafka, settle, type RdKafkaTypes } from '../../kafka/rdkafka.js';
import { closeProducer, connectOrDisconnect, disconnectBounded, openProducer } from '../../workload/client-connect.js';
import { decodePayloadValue, encodePayload } from '../../workload/payload.js';
import { classifyDeliveryError } from '../../workload/send-outcome.js';
import type { ProbeContext } from './probe-context.js';
import type { RoundTripProbe } from './probe-spec.js';

/** One consume call waits at most this long, so the deadline is checked often. */
const CONSUME_WAIT_MS = 100;

/** The producer id of a round-trip probe's values and ops: `rt.<name>` with unsafe characters replaced. */
function roundTripProducerId(name: string): string {
  return `rt.${name.replace(/[^A-Za-z0-9._]/g, '_')}`;
}

interface Delivered {
  readonly partition: number;
  readonly offset: number;
}

/** Produces one value (acks=all) and records invoke and outcome in the context's sink; throws when not delivered. */
async function produceOne(producer: RdKafkaTypes.Producer, spec: RoundTripProbe, value: string, context: ProbeContext, process: string, timeoutMs: number): Promise<Delivered> {
  const sink = context.sink;
  sink?.append({ kind: 'op', type: 'invoke', f: 'send', process, value, timeMs: sink.elapsedMs() });
  const report = await new Promise<{ err: RdKafkaTypes.LibrdKafkaError | null; dr?: RdKafkaTypes.DeliveryReport }>((resolve) => {
    const timer = setTimeout(() => resolve({ err: null }), timeoutMs);
    producer.once('delivery-report', (err: RdKafkaTypes.LibrdKafkaError | null, dr: RdKafkaTypes.DeliveryReport) => {
      clearTimeout(timer);
      resolve({ err, dr });
    });
    try {
      producer.produce(spec.topic, spec.partition ?? null, encodePayload(value, 0));
    } catch (error) {
      clearTimeout(timer);
      resolve({ err: error as RdKafkaTypes.LibrdKafkaError });
    }
  });
  const timeMs = sink?.elapsedMs() ?? 0;
  if (report.err || !report.dr) {
    const code = report.err?.code ?? 'NO_REPORT';
    const outcome = report.err ? classifyDeliveryError(report.err.code, true) : { type: 'info' as const, codeName: 'NO_REPORT' };
    const message = report.err ? `${outcome.codeName}: ${report.err.message}` : `no delivery report within ${timeoutMs} ms`;
    sink?.append({ kind: 'op', type: outcome.type, f: 'send', process, value, timeMs, error: { code, message } });
    throw new FaultlineError(`could not produce to ${spec.topic}: ${message}`);
  }
  sink?.append({ kind: 'op', type: 'ok', f: 'send', process, value, timeMs, partition: report.dr.partition, offset: report.dr.offset });
  return { partition: report.dr.partition, offset: report.dr.offset };
}

async function openConsumer(bootstrap: string, timeoutMs: number): Promise<RdKafkaTypes.KafkaConsumer> {
  const { KafkaConsumer } = rdkafka();
  const consumer = new KafkaConsumer(
    { 'bootstrap.servers': bootstrap, 'group.id': `faultline-probe-${process.pid}-${Date.now()}`, 'enable.auto.commit': false, 'fetch.wait.max.ms': 50, log_level: 0 },
    {},
  );
  await connectOrDisconnect(consumer, 'round-trip consumer', bootstrap, timeoutMs);
  consumer.setDefaultConsumeTimeout(CONSUME_WAIT_MS);
  return consumer;
}

/** Reads from `at` until `value` arrives (true) or the deadline passes (false). */
async function awaitValue(consumer: RdKafkaTypes.KafkaConsumer, topic: string, at: Delivered, value: string, deadline: number): Promise<boolean> {
  consumer.assign([{ topic, partition: at.partition, offset: at.offset }]);
  // Bounded by the deadline; each consume waits at most CONSUME_WAIT_MS.
  while (performance.now() < deadline) {
    const batch = await new Promise<RdKafkaTypes.Message[]>((resolve, reject) => consumer.consume(100, settle(resolve, reject)));
    if (batch.some((m) => m.partition === at.partition && m.offset >= at.offset && decodePayloadValue(m.value) === value)) return true;
  }
  return false;
}

/**
 * Produces one record and measures how long until it is received: by a fresh consumer of the probe's own,
 * assigned at the record's offset, or (`consumer: group`) by the experiment's long-lived consumer group.
 * The value is the latency in ms, or null when it was not received within timeoutMs.
 */
export async function measureRoundTrip(spec: RoundTripProbe, context: ProbeContext, timeoutMs: number): Promise<number | null> {
  const viaGroup = spec.consumer === 'group';
  const groupReceived = context.groupReceived;
  if (viaGroup && groupReceived === undefined) throw new UsageError(`probe ${spec.name}: consumer: group needs a consumer-group workload in the experiment`);
  const deadline = performance.now() + timeoutMs;
  const process = roundTripProducerId(spec.name);
  const value = sendValue(process, context.memory?.nextSeq(spec.name) ?? Date.now());
  const settings = { bootstrap: context.bootstrap, acks: 'all' as const, idempotent: false, timeoutMs, clientId: `faultline-${process}`, extra: { 'linger.ms': 0 } };
  const producer = await openProducer(settings, 'round-trip producer');
  let consumer: RdKafkaTypes.KafkaConsumer | undefined;
  try {
    consumer = viaGroup ? undefined : await openConsumer(context.bootstrap, Math.max(1, deadline - performance.now()));
    const sentAt = performance.now();
    const at = await produceOne(producer, spec, value, context, process, Math.max(1, deadline - sentAt));
    const remainingMs = Math.max(1, deadline - performance.now());
    const received = groupReceived !== undefined && viaGroup ? await groupReceived(value, remainingMs) : await awaitValue(consumer as RdKafkaTypes.KafkaConsumer, spec.topic, at, value, deadline);
    return received ? Math.round((performance.now() - sentAt) * 1000) / 1000 : null;
  } finally {
    await Promise.all([closeProducer(producer), consumer !== undefined ? disconnectBounded(consumer) : undefined]);
  }
}
