import type { NodePlan } from '../cluster/topology.js';
import type { DiscoveredKafka, DiscoveredProcess } from './discovered-process.js';

/** One broker as the cluster's metadata (Kafka protocol) lists it: its advertised address. */
export interface MetadataBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/** The cluster as the Kafka protocol shows it (a Metadata / DescribeCluster answer). */
export interface ClusterMetadataView {
  /** Kafka's cluster id, when the answer carried one. */
  readonly clusterId?: string;
  readonly brokers: readonly MetadataBroker[];
  /** The KRaft controllers' ids, when known (DescribeCluster to a controller endpoint, or the quorum's voters). */
  readonly controllerIds?: readonly number[];
}

/** One host named to `attach`, with what discovery found on it. */
export interface AttachedHost {
  /** The host as the user named it (the SSH host). */
  readonly sshHost: string;
  /**
   * Other names and addresses of the host (e.g. what the caller resolved sshHost to). A listener bound to every
   * interface is advertised under the host's name, so a broker with one matches its metadata entry only when that
   * entry's host is sshHost or one of these.
   */
  readonly aliases?: readonly string[];
  readonly processes: readonly DiscoveredProcess[];
}

/** A node of the attached cluster: where it is on the network (NodePlan) and where its process is on its host. */
export interface AttachedNode extends NodePlan {
  readonly sshHost: string;
  readonly pid: number;
  /** Field 22 of /proc/PID/stat at discovery: guards the pid against reuse. */
  readonly startTime: number;
  readonly configFile: string;
  /** Kafka's log dirs; ZooKeeper's dataDir (empty when its config sets none). */
  readonly dataDirs: readonly string[];
}

/** A Kafka process with the host it runs on. */
export interface HostedKafka {
  readonly host: AttachedHost;
  readonly process: DiscoveredKafka;
}
