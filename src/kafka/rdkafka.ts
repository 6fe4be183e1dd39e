import { createRequire } from 'node:module';
import type * as RdKafkaTypes from '@confluentinc/kafka-javascript';

// The client is CommonJS with a native addon; load it once, lazily, so commands that never talk to Kafka
// (model, check) do not pay for the addon.
let loaded: typeof RdKafkaTypes | undefined;

export function rdkafka(): typeof RdKafkaTypes {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = require('@confluentinc/kafka-javascript') as typeof RdKafkaTypes;
  }
  return loaded;
}

export type { RdKafkaTypes };

/** The client's callbacks pass no error on success, although its typings always declare one. */
type CallbackError = RdKafkaTypes.LibrdKafkaError | null | undefined;

/**
 * A client callback that settles a promise: rejects with the client's error (an Error at run time,
 * a plain interface in its typings), else resolves with the callback's value.
 */
export function settle<T>(resolve: (value: T) => void, reject: (reason: Error) => void): (err: CallbackError, value: T) => void {
  return (err, value) => {
    if (err) reject(err instanceof Error ? err : Object.assign(new Error(err.message), err));
    else resolve(value);
  };
}
