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
