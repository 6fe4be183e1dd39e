import { join } from 'node:path';
import { resolveKafkaDistribution } from '../cluster/kafka-distribution.js';
import { runVerifiableProducer } from '../peer/run-verifiable-producer.js';
import { writeProducerConfig, writeToolLogConfig } from '../peer/java-tool.js';
import { historyValueOfVerifiableValue } from '../peer/verifiable-value.js';
import type { ProduceScenarioWorkload } from '../scenario/scenario.js';
import type { OpSink } from '../workload/op-sink.js';

/** Which client produces in a scenario: ours (librdkafka) or Kafka's own Java VerifiableProducer. */
export type ProducerClient = 'faultline' | 'verifiable-producer';
export const PRODUCER_CLIENTS: readonly ProducerClient[] = ['faultline', 'verifiable-producer'];

/** The read-back's decoder for VerifiableProducer's values (`<prefix>.<i>` -> `vp<prefix>-<i>`). */
export function decodeVerifiableValue(payload: Buffer | null | undefined): string | null {
  return payload ? historyValueOfVerifiableValue(payload.toString('utf8')) : null;
}

export interface VerifiableWorkloadInput {
  readonly kafkaVersion: string;
  readonly bootstrap: string;
  readonly topic: string;
  readonly workload: ProduceScenarioWorkload;
  readonly sink: OpSink;
  /** Folder for the tool's producer config and log config (the run directory). */
  readonly workDir: string;
  readonly onSent: (sent: number) => void;
}

/**
 * The scenario's produce workload, run by K VerifiableProducer JVMs (value prefixes 0..K-1) with the
 * same acks, retries, delivery timeout and rate; their JSON lines become our op records as they arrive.
 */
export async function runVerifiableWorkload(input: VerifiableWorkloadInput): Promise<{ sent: number; unreported: number }> {
  const dist = await resolveKafkaDistribution(input.kafkaVersion);
  const logConfigFile = writeToolLogConfig(input.workDir, dist.major);
  const w = input.workload;
  const deliveryTimeoutMs = w.timeoutMs ?? 30_000;
  // Java requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
  const producerConfigFile = writeProducerConfig(join(input.workDir, 'verifiable-producer.properties'), {
    'enable.idempotence': w.idempotent,
    'delivery.timeout.ms': deliveryTimeoutMs,
    'request.timeout.ms': Math.max(1000, Math.min(30_000, deliveryTimeoutMs - 100)),
    'linger.ms': 5,
    ...(w.retries !== undefined ? { retries: w.retries } : {}),
    ...(w.idempotent ? {} : { 'max.in.flight.requests.per.connection': 5 }),
  });
  let sent = 0;
  const runStartEpochMs = Date.now() - input.sink.elapsedMs();
  const runs = await Promise.all(
    Array.from({ length: w.producers }, (_, prefix) =>
      runVerifiableProducer(
        { dist, bootstrapServers: input.bootstrap, topic: input.topic, maxMessages: w.count, throughputPerSec: Math.max(1, Math.round(w.rateMsgsPerSec)), acks: w.acks, producerConfigFile, valuePrefix: prefix, logConfigFile },
        {
          runStartEpochMs,
          timeoutMs: Math.ceil((w.count / w.rateMsgsPerSec) * 1000) + deliveryTimeoutMs + 120_000,
          ...(w.retries !== undefined ? { retries: w.retries } : {}),
          onRecord: (record) => {
            input.sink.append(record);
            if (record.type === 'invoke') input.onSent(++sent);
          },
        },
      ),
    ),
  );
  return { sent, unreported: runs.reduce((sum, r) => sum + r.summary.unreported, 0) };
}
