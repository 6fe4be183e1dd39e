import type { AcksMode } from '../scenario/scenario.js';

export interface ProducerClientSettings {
  readonly bootstrap: string;
  readonly acks: AcksMode;
  readonly idempotent: boolean;
  /** Producer retries (message.send.max.retries); undefined = librdkafka's default (retry until the timeout). */
  readonly retries?: number;
  /** message.timeout.ms: how long a message may wait for delivery before it is reported as timed out. */
  readonly timeoutMs?: number;
  readonly clientId: string;
  /** Any other librdkafka setting. */
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

export const DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;

/** librdkafka settings for one producer; per-message accounting needs delivery reports (dr_cb). */
export function producerConfig(settings: ProducerClientSettings): Record<string, string | number | boolean> {
  const config: Record<string, string | number | boolean> = {
    'bootstrap.servers': settings.bootstrap,
    'client.id': settings.clientId,
    'request.required.acks': settings.acks === 'all' ? -1 : Number(settings.acks),
    'enable.idempotence': settings.idempotent,
    'message.timeout.ms': settings.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    'linger.ms': 5,
    'queue.buffering.max.messages': 200_000,
    'reconnect.backoff.ms': 100,
    'reconnect.backoff.max.ms': 1000,
    'socket.connection.setup.timeout.ms': 5000,
    'topic.metadata.refresh.interval.ms': 5000,
    dr_cb: true,
    log_level: 0,
  };
  if (settings.retries !== undefined) config['message.send.max.retries'] = settings.retries;
  return { ...config, ...(settings.extra ?? {}) };
}

/** The client settings of a workload's options (the fields both producers share). */
export function clientSettingsOf(
  options: { readonly bootstrap: string; readonly acks: AcksMode; readonly idempotent?: boolean; readonly retries?: number; readonly timeoutMs?: number },
  producerId: string,
  extra?: Readonly<Record<string, string | number | boolean>>,
): ProducerClientSettings {
  return {
    bootstrap: options.bootstrap,
    acks: options.acks,
    idempotent: options.idempotent ?? false,
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    clientId: `faultline-${producerId}`,
    ...(extra ? { extra } : {}),
  };
}
