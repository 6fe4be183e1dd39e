/**
 * Where faultline keeps its files on a remote host unless told otherwise (`remoteDir`): the Kafka jars it
 * installed, each node's folder, and the self-expiring undo files (`<remoteDir>/undo`).
 */
export const DEFAULT_REMOTE_DIR = '/var/lib/faultline';
