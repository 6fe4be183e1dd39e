import { UsageError } from '../errors.js';
import { clientEndpoints } from './kafka-config.js';
import { isWildcardHost, type ListenerEndpoint } from './kafka-endpoints.js';
import type { DiscoveredKafka } from './discovered-process.js';
import type { AttachedHost, ClusterMetadataView, MetadataBroker } from './cluster-view.js';

/** The node id a Kafka process runs as: its config's, checked against the id its log dirs were formatted with. */
export function nodeIdOf(host: AttachedHost, process: DiscoveredKafka): number {
  const { nodeId } = process.config;
  const { metaNodeId } = process;
  if (nodeId !== undefined && metaNodeId !== undefined && nodeId !== metaNodeId) {
    throw new UsageError(`host ${host.sshHost}: ${process.configFile} says node ${nodeId}, but the broker's log dirs belong to node ${metaNodeId} (meta.properties): the file changed since the broker started`);
  }
  const id = nodeId ?? metaNodeId;
  if (id === undefined) {
    throw new UsageError(`host ${host.sshHost}: Kafka pid ${process.pid} has no node.id or broker.id in ${process.configFile} and no meta.properties in its log dirs`);
  }
  return id;
}

function formatEndpoint(endpoint: ListenerEndpoint): string {
  return `${endpoint.name}://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

/** The endpoint is where the metadata says the broker is: the same port, and the same host or, bound to every interface, a name of this host. */
function isAt(endpoint: ListenerEndpoint, broker: MetadataBroker, names: ReadonlySet<string>): boolean {
  if (endpoint.port !== broker.port) return false;
  const host = broker.host.toLowerCase();
  return isWildcardHost(endpoint.host) ? names.has(host) : endpoint.host.toLowerCase() === host;
}

export function hostNames(host: AttachedHost): Set<string> {
  return new Set([host.sshHost, ...(host.aliases ?? [])].map((name) => name.toLowerCase()));
}

/** The metadata entry of a broker process: listed under its id, at one of its advertised endpoints. */
export function matchBroker(host: AttachedHost, process: DiscoveredKafka, id: number, metadata: ClusterMetadataView): MetadataBroker {
  const entry = metadata.brokers.find((b) => b.nodeId === id);
  if (entry === undefined) {
    const listed = metadata.brokers.map((b) => b.nodeId).sort((a, b) => a - b).join(', ');
    throw new UsageError(`host ${host.sshHost} runs Kafka node ${id}, which the cluster's metadata does not list (brokers ${listed || 'none'})`);
  }
  const names = hostNames(host);
  const endpoints = clientEndpoints(process.config);
  if (endpoints.some((e) => isAt(e, entry, names))) return entry;
  const other = metadata.brokers.find((b) => b.nodeId !== id && endpoints.some((e) => isAt(e, b, names)));
  if (other !== undefined) {
    throw new UsageError(`host ${host.sshHost}: the broker's node id is ${id}, but the cluster's metadata says the broker at its address ${other.host}:${other.port} is ${other.nodeId}`);
  }
  const advertised = endpoints.map(formatEndpoint).join(', ') || 'none';
  const hint = endpoints.some((e) => isWildcardHost(e.host)) ? ` (bound to every interface: is ${entry.host} a name of ${host.sshHost}? add it to aliases)` : '';
  throw new UsageError(`host ${host.sshHost}: the cluster's metadata lists broker ${id} at ${entry.host}:${entry.port}, not at the broker's advertised listeners on this host (${advertised})${hint}`);
}
