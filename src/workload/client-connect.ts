import { FaultlineError } from '../errors.js';
import type { RdKafkaTypes } from '../kafka/rdkafka.js';

type ConnectableClient = RdKafkaTypes.Producer | RdKafkaTypes.KafkaConsumer;

/** Connects a librdkafka client; on failure disconnects it (its threads would otherwise linger) and says where. */
export async function connectOrDisconnect(client: ConnectableClient, what: string, bootstrap: string, timeoutMs = 15_000): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      client.connect({ timeout: timeoutMs }, (err) => (err ? reject(err) : resolve()));
    });
  } catch (error) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      client.disconnect(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    throw new FaultlineError(`${what} cannot connect to ${bootstrap}: ${(error as Error).message}`);
  }
}
