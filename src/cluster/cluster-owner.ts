/** Who started a cluster: by hand ('user', through `cluster up` or the library) or a suite run. */
export type ClusterOwnerKind = 'user' | 'suite';

export interface ClusterOwner {
  readonly kind: ClusterOwnerKind;
  /** The process that started the cluster (a suite is still running while this pid lives). */
  readonly pid: number;
}

/** A state file written before owners were recorded has none: such a cluster counts as started by hand. */
export function ownerOf(state: { readonly owner?: ClusterOwner }): ClusterOwner {
  return state.owner ?? { kind: 'user', pid: 0 };
}
