/**
 * P's Workload1 test drivers (PTst/Workload1/PTst/TestWorkload1*.p) as step lists the driver machine
 * runs in order. P timing: the faults come after batch 1 reached the destination and before batch 2 is
 * published. Random timing: batch 2 is published first and the faults come a scheduler-chosen number
 * of driver steps later, so they land at any point of batch 2 in flight.
 */
import type { FaultTiming, Workload1Test } from './options.js';

/** The eight components P's F4 may fail, in P's index order 1-8, plus the region-2 processor. */
export type Component = 'receiver1' | 'receiverDb' | 'validator1' | 'validatorDb' | 'inboundKafka1' | 'processor1' | 'processorDb' | 'outboundKafka1' | 'processor2';
export const F4_COMPONENTS: readonly Component[] = ['receiver1', 'receiverDb', 'validator1', 'validatorDb', 'inboundKafka1', 'processor1', 'processorDb', 'outboundKafka1'];

/** What the driver waits for (P: a `receive` in the test machine). */
export type Awaited = 'destination' | 'inboundKafka' | 'source' | 'kafkaFail' | 'switch';

export type Step =
  | { readonly op: 'publish'; readonly batch: number }
  | { readonly op: 'notifyDestination'; readonly count: number }
  /** Inbound Kafka of region 1 (P: eKafkaReceiveNotification). */
  | { readonly op: 'notifyInbound'; readonly count: number }
  | { readonly op: 'await'; readonly what: Awaited }
  | { readonly op: 'fail' | 'recover'; readonly target: Component }
  /** F4: choose 1-8 distinct components of F4_COMPONENTS. */
  | { readonly op: 'chooseFailures' }
  | { readonly op: 'failChosen' | 'recoverChosen' }
  | { readonly op: 'republishIfFailed'; readonly batch: number }
  | { readonly op: 'offline'; readonly dns: 'in' | 'out'; readonly region: number }
  | { readonly op: 'switchDb'; readonly db: 'receiver' | 'validator' | 'processor' }
  /** Random timing: a scheduler-chosen number of driver steps. */
  | { readonly op: 'delay' };

function batch1(test: Workload1Test, batchSize: number): Step[] {
  const steps: Step[] = [{ op: 'notifyDestination', count: batchSize }, { op: 'publish', batch: 1 }];
  if (test === 'f4') steps.push({ op: 'await', what: 'source' });
  steps.push({ op: 'await', what: 'destination' });
  return steps;
}

function faults(test: Workload1Test): Step[] {
  switch (test) {
    case 'base':
      return [];
    case 'f1':
      return [{ op: 'fail', target: 'processor1' }];
    case 'f2':
      return [{ op: 'fail', target: 'processorDb' }];
    case 'f3':
      return [{ op: 'fail', target: 'outboundKafka1' }, { op: 'await', what: 'kafkaFail' }];
    case 'f4':
      return [{ op: 'failChosen' }];
    case 'failover':
      return [
        { op: 'offline', dns: 'in', region: 1 },
        { op: 'offline', dns: 'out', region: 1 },
        ...(['receiver', 'validator', 'processor'] as const).flatMap((db): Step[] => [{ op: 'switchDb', db }, { op: 'await', what: 'switch' }]),
      ];
  }
}

/** What the driver waits for after publishing batch 2, then how it recovers. */
function batch2Wait(test: Workload1Test, alternating: boolean): Step[] {
  if (test === 'f4') return [{ op: 'await', what: 'source' }];
  if (test === 'failover') return [{ op: 'await', what: 'destination' }];
  // P: "confirm that they were delivered to inbound Kafka" by a count only strict alternation predicts;
  // other routings wait for the source, which has its answer once the last record is in inbound Kafka.
  return [{ op: 'await', what: alternating ? 'inboundKafka' : 'source' }];
}

/** What the driver registers for before publishing batch 2. */
function batch2Register(test: Workload1Test, batchSize: number): Step[] {
  if (test === 'failover') return [{ op: 'notifyDestination', count: 2 * batchSize }];
  // Alternating from region 1, region 1's inbound Kafka has received `batchSize` records after two batches.
  return test === 'f4' ? [] : [{ op: 'notifyInbound', count: batchSize }];
}

function recovery(test: Workload1Test): Step[] {
  switch (test) {
    case 'f1':
      return [{ op: 'recover', target: 'processor1' }];
    case 'f2':
      return [{ op: 'recover', target: 'processorDb' }, { op: 'recover', target: 'processor1' }, { op: 'recover', target: 'processor2' }];
    case 'f3':
      return [{ op: 'recover', target: 'outboundKafka1' }, { op: 'recover', target: 'processor1' }];
    case 'f4':
      return [
        { op: 'recoverChosen' },
        ...(['receiver1', 'validator1', 'processor1', 'processor2'] as const).map((target): Step => ({ op: 'recover', target })),
        { op: 'republishIfFailed', batch: 2 },
      ];
    default:
      return [];
  }
}

/** The driver's steps for a P test. */
export function testScript(test: Workload1Test, timing: FaultTiming, batchSize: number, alternating: boolean): Step[] {
  const steps: Step[] = test === 'f4' ? [{ op: 'chooseFailures' }] : [];
  steps.push(...batch1(test, batchSize));
  if (test === 'base') return steps;
  const register = batch2Register(test, batchSize);
  if (timing === 'p') steps.push(...faults(test), ...register, { op: 'publish', batch: 2 });
  else steps.push(...register, { op: 'publish', batch: 2 }, { op: 'delay' }, ...faults(test));
  steps.push(...batch2Wait(test, alternating), ...recovery(test));
  steps.push({ op: 'notifyDestination', count: 3 * batchSize }, { op: 'publish', batch: 3 }, { op: 'await', what: 'destination' });
  return steps;
}
