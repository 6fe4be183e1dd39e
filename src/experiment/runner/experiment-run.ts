import type { ClusterSummary } from '../../cluster/cluster-summary.js';
import { requireClusterState } from '../../cluster/cluster-state.js';
import { isBroker } from '../../cluster/topology.js';
import { clusterDown } from '../../cluster/local-cluster.js';
import { Run } from '../../history/run.js';
import { healAll } from '../../nemesis/heal.js';
import { awaitLingeringDisconnects } from '../../workload/client-connect.js';

/** How long a run's end waits for client closes that outlived their bound. */
const LINGERING_CLOSE_TIMEOUT_MS = 60_000;
import { startSampler } from '../../workload/cluster-sampler.js';
import { ProbeMemory, type ProbeSpec } from '../probes/index.js';
import type { ExperimentVariant } from '../experiment.js';
import { BackgroundWorkloads } from './background-workloads.js';
import { ProbeLoop, type ProbeRunner } from './probe-phase.js';
import type { StepContext } from './steps.js';

/** Where an experiment run is: its phases in order. */
export type ExperimentPhase = 'cluster' | 'steady-state-before' | 'method' | 'rollbacks' | 'steady-state-after' | 'checking' | 'cleanup';

/** Default interval of a `during` or `on-fault` probe without one. */
const DEFAULT_DURING_INTERVAL_MS = 1000;

/**
 * One experiment while it runs: the resources its phases share (run, workloads, probe loops, sampler) and the
 * cleanup they owe. Its abort controller is the run's one stop signal: a safeguard, the caller's signal (Ctrl-C,
 * `faultline abort`) or an error fires it, and every wait in the method ends. `dispose()` never throws.
 */
export class ExperimentRun {
  readonly notes: string[] = [];
  readonly abort = new AbortController();
  abortedBy: string | null = null;
  interrupted = false;
  /** Set by the phases as they begin; read by progress displays. */
  phase: ExperimentPhase = 'cluster';
  private loops: ProbeLoop[] = [];
  private sampler: { stop(): Promise<void> } | null = null;
  private workloadsOwned: BackgroundWorkloads | null = null;
  private runOwned: Run | null = null;
  readonly memory = new ProbeMemory();

  constructor(readonly variant: ExperimentVariant, private readonly keepCluster: boolean, readonly log: (line: string) => void, outer?: AbortSignal) {
    outer?.addEventListener('abort', () => this.stop('signal', true), { once: true });
    if (outer?.aborted === true) this.stop('signal', true);
  }

  get experiment(): ExperimentVariant['experiment'] {
    return this.variant.experiment;
  }

  /** The run directory's Run once `open` made it. */
  get run(): Run | null {
    return this.runOwned;
  }

  /** Stops the method: the first reason wins. */
  stop(reason: string, interrupted = false): void {
    if (this.abort.signal.aborted) return;
    this.abortedBy = reason;
    this.interrupted = interrupted;
    this.log(`stopping: ${reason}`);
    this.abort.abort();
  }

  open(runsRoot: string, cluster: ClusterSummary): { run: Run; workloads: BackgroundWorkloads; probes: ProbeRunner } {
    const e = this.experiment;
    const run = Run.create(runsRoot, { run: runName(this.variant.name), experiment: e.name, variant: this.variant.name, values: this.variant.values, title: e.title, seed: e.seed, topic: e.topics[0]?.name, consumerGroup: e.workloads.some((w) => w.kind === 'consumer-group'), cluster: { ...e.cluster, kafkaVersion: cluster.kafkaVersion } });
    this.runOwned = run;
    const brokers = requireClusterState().nodes.filter(isBroker);
    const first = e.topics[0];
    if (first) this.sampler = startSampler(brokers, cluster.bootstrap, first.name, run);
    const workloads = new BackgroundWorkloads(e.workloads, cluster.bootstrap, run);
    this.workloadsOwned = workloads;
    const probes: ProbeRunner = {
      run,
      context: { bootstrap: cluster.bootstrap, brokers, cluster: requireClusterState, historyPath: run.historyPath, sink: run, groupReceived: (v, t) => workloads.groupReceived(v, t), memory: this.memory, nowMs: () => run.elapsedMs() },
    };
    return { run, workloads, probes };
  }

  /**
   * Starts the during-probes, the on-fault probes (recorded as during-probes, run only while the run's events
   * show a fault in effect) and the safeguards (a failed safeguard stops the run).
   */
  startLoops(probes: ProbeRunner): void {
    const e = this.experiment;
    const interval = (p: ProbeSpec) => ({ spec: p, intervalMs: p.intervalMs ?? DEFAULT_DURING_INTERVAL_MS });
    const during = e.steadyState.filter((p) => p.mode === 'during').map(interval);
    const onFault = e.steadyState.filter((p) => p.mode === 'on-fault').map(interval);
    const safeguards = e.safeguards.map(interval);
    this.loops = [
      new ProbeLoop(probes, during, 'during'),
      new ProbeLoop(probes, onFault, 'during', undefined, probes.run.live.faults),
      new ProbeLoop(probes, safeguards, 'safeguard', (r) => this.stop(`safeguard ${r.name}: ${r.detail}`)),
    ];
    for (const loop of this.loops) loop.start();
  }

  async stopLoops(): Promise<void> {
    const loops = this.loops;
    this.loops = [];
    await Promise.all(loops.map((l) => l.stop()));
  }

  async stopSampler(): Promise<void> {
    const sampler = this.sampler;
    this.sampler = null;
    await sampler?.stop();
  }

  /** Stops probe loops, workloads (groups drain) and the sampler: nothing writes into the run any more. Never throws. */
  async quiesce(): Promise<void> {
    await this.stopLoops().catch(() => undefined);
    const workloads = this.workloadsOwned;
    this.workloadsOwned = null;
    this.notes.push(...((await workloads?.stopAll().catch(() => [])) ?? []));
    await this.stopSampler().catch(() => undefined);
  }

  /** Never throws; may run more than once. */
  async dispose(): Promise<void> {
    this.phase = 'cleanup';
    await this.quiesce();
    await healAll().catch((error: unknown) => this.notes.push(`heal at the end: ${(error as Error).message}`));
    await this.runOwned?.close().catch(() => undefined);
    // Client closes that outlived their bound finish while the cluster is still up (else the process cannot exit).
    const stuck = await awaitLingeringDisconnects(LINGERING_CLOSE_TIMEOUT_MS);
    if (stuck > 0) this.notes.push(`${stuck} Kafka client(s) still closing after ${LINGERING_CLOSE_TIMEOUT_MS / 1000} s`);
    if (!this.keepCluster) await clusterDown().catch(() => undefined);
  }

  stepContext(run: Run, workloads: BackgroundWorkloads, probes: ProbeRunner, signal: AbortSignal): StepContext {
    return { run, workloads, probes, seed: this.experiment.seed, signal, faultsByStep: new Map(), pendingHeals: [], failedProbes: [], log: this.log };
  }
}

/** A run directory name from a variant name: `name[a=b,c=d]` -> `name_a-b_c-d`. */
function runName(variant: string): string {
  return variant.replace(/\[|\]/g, '_').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/_+$/, '');
}
