import { execCapture } from '../util/exec.js';
import { addressPlan, hostVethName, namespaceName } from '../net/address-plan.js';
import { createNodeNamespace, ensureBridge } from '../net/namespace.js';

/** Jobs take .200+slot on the cluster's /24 (slot 1..JOB_SLOTS), after brokers (.10+) and controllers (.100+). */
const JOB_ADDRESS_BASE = 200;
const JOB_SLOTS = 9;

export interface JobNetwork {
  readonly namespace: string;
  readonly address: string;
}

function jobAddress(slot: number): string {
  if (!Number.isInteger(slot) || slot < 1 || slot > JOB_SLOTS) throw new RangeError(`job slot ${slot} outside 1..${JOB_SLOTS}`);
  return `${addressPlan().prefix}.${JOB_ADDRESS_BASE + slot}`;
}

/** The job's own namespace on the cluster bridge, like a broker's; a stale one of the same name is replaced. */
export async function createJobNetwork(name: string, slot: number): Promise<JobNetwork> {
  const plan = addressPlan();
  await ensureBridge(plan);
  await removeJobNetwork(name);
  const address = jobAddress(slot);
  await createNodeNamespace(plan, name, address);
  return { namespace: namespaceName(name), address };
}

/** Removes the job's namespace and veth; idempotent (its processes must be gone first). */
export async function removeJobNetwork(name: string): Promise<void> {
  await execCapture('ip', ['netns', 'del', namespaceName(name)]);
  await execCapture('ip', ['link', 'del', hostVethName(name)]);
}
