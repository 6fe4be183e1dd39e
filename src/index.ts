/**
 * faultline's library API: everything the CLI does, callable from code.
 * The model checker is a separate entry point: `faultline/model`.
 */
export { FaultlineError, UsageError, FieldError, formatFieldPath, EXIT_OK, EXIT_VIOLATION, EXIT_USAGE, EXIT_ENVIRONMENT, EXIT_INTERRUPTED, type FieldPath } from './errors.js';

// The local cluster provider
export { clusterUp, clusterDown, clusterReset, clusterStatus } from './cluster/local-cluster.js';
export {
  DEFAULT_BROKERS, DEFAULT_DISK_MB, DEFAULT_HEAP_MB, DEFAULT_START_TIMEOUT_MS,
  MIN_DISK_MB, MAX_DISK_MB, MIN_HEAP_MB, MAX_HEAP_MB, MIN_START_TIMEOUT_MS, MAX_START_TIMEOUT_MS,
  type ClusterUpOptions,
} from './cluster/cluster-options.js';
export type { ClusterSummary, NodeSummary } from './cluster/cluster-summary.js';
export type { ClusterOwner, ClusterOwnerKind } from './cluster/cluster-owner.js';
export { startNode, stopNode, pauseNode, resumeNode } from './cluster/node-control.js';
export { resolveKafkaDistribution, DEFAULT_KAFKA_VERSION, DEFAULT_ZOOKEEPER_KAFKA_VERSION, type KafkaDistribution } from './cluster/kafka-distribution.js';
export { DEFAULT_BROKER_SETTINGS } from './cluster/cluster-settings.js';
export { readClusterState, requireClusterState, findNode, type ClusterState, type NodeState } from './cluster/cluster-state.js';
export { MAX_BROKERS, METADATA_MODES, isBroker, type MetadataMode, type NodeRole } from './cluster/topology.js';
export { tailLog } from './cluster/node-process.js';

// Talking to Kafka
export { KafkaAdmin, withAdmin, type PartitionDescription, type PartitionOffsets, type NewTopicSpec } from './kafka/admin.js';
export { assertTopicName, topicNameProblem, MAX_TOPIC_NAME_LENGTH } from './kafka/topic-name.js';
export { describeTopicView, type TopicView, type PartitionView } from './kafka/topic-view.js';

// The nemesis: typed faults, one parser/validator, heal
export * from './nemesis/index.js';
export { startTcpProxy, type TcpProxy, type TcpProxyOptions } from './net/tcp-proxy.js';

// Workloads
export { runProduceWorkload, type ProduceOptions, type ProduceSummary, type ProduceProgress } from './workload/produce-workload.js';
export { validateProduceOptions, produceOptionProblems, MAX_PRODUCERS, MAX_COUNT_PER_PRODUCER, MAX_VALUE_SIZE_BYTES, MAX_DELIVERY_TIMEOUT_MS, MAX_RETRIES, DEFAULT_VALUE_SIZE_BYTES, type ProduceLimitsInput, type ProduceOptionProblem } from './workload/produce-limits.js';
export { runSlowProducer, type SlowProduceOptions, type SlowProduceSummary, type FailoverGap } from './workload/slow-producer.js';
export { readBack, ISOLATION_MODES, type IsolationMode, type ReadBackOptions, type ReadBackSummary } from './workload/read-back.js';
export { MemorySink, type OpSink } from './workload/op-sink.js';
export { startConsumerGroup, MAX_ERROR_EVENTS, type ConsumerGroupOptions, type ConsumerGroupHandle, type ConsumerGroupProgress, type ConsumerGroupSummary } from './workload/consumer-group.js';
export { consumerGroupOptionProblems, validateConsumerGroupOptions, MAX_CONSUMER_MEMBERS, MAX_CONSUMER_DURATION_MS, DEFAULT_CONSUMER_DURATION_MS, DEFAULT_DRAIN_TIMEOUT_MS, MAX_DRAIN_TIMEOUT_MS, MAX_COMMIT_TIMEOUT_MS, MIN_SESSION_TIMEOUT_MS, MAX_SESSION_TIMEOUT_MS, MAX_POLL_RECORDS, COMMIT_MODES, type CommitMode, type ConsumerLimitsInput, type ConsumerOptionProblem } from './workload/consumer-limits.js';
export { sampleTopic, startSampler } from './workload/cluster-sampler.js';
export { runQueueWorkload, type QueueWorkloadSummary } from './workload/queue/queue-workload.js';
export { queueOptionProblems, CONSUMER_MODES, MAX_QUEUE_PROCESSES, MAX_QUEUE_OPS_PER_PROCESS, MAX_SENDS_PER_OP, MAX_QUEUE_DURATION_MS, MAX_QUEUE_DRAIN_MS, MAX_QUEUE_CALL_TIMEOUT_MS, type ConsumerMode, type QueueMix, type QueueWorkloadOptions, type QueueOptionProblem } from './workload/queue/queue-options.js';
export { exitProcess } from './workload/exit-process.js';
export { DRAIN_PROCESS, type QueueDrainSummary } from './workload/queue/queue-drain.js';

// Histories and the checker
export * from './history/index.js';
export * from './checker/index.js';

// Scenarios and suites
export * from './scenario/index.js';
export { API_VERSION } from './scenario/file-format.js';
export * from './experiment/index.js';
export * from './experiment/runner/index.js';
export { runScenario, type RunScenarioOptions } from './runner/run-scenario.js';
export { runSuite, suiteMarkdown, suiteModelLines, suiteTable, type SuiteOptions, type SuiteResult } from './runner/run-suite.js';
export { kafkaModelRow, type KafkaModelMapping, type KafkaModelRow } from './runner/kafka-model-row.js';
export {
  compareWithModel, kafkaPredictor, type KafkaPredictor, type KafkaPredictorOptions, type ModelAgreement, type ModelComparison, type ModelPrediction, type ObservedRow,
} from './runner/model-comparison.js';
export { modelComparisonTable, modelNoteLines, modelSummaryLine } from './runner/model-comparison-text.js';
export { readSuiteRows, type SuiteRows } from './runner/read-suite-rows.js';
export { ROW_HEADERS, rowCells, type AnomalyCounts, type ScenarioOutcome, type ScenarioRow } from './runner/scenario-result.js';
export { countsText } from './runner/suite-reports.js';
export { PRODUCER_CLIENTS, type ProducerClient } from './runner/verifiable-producer-workload.js';

// Experiments: probes and tolerances
export * from './experiment/probes/index.js';

// Peers: Kafka's own Java tools
export * as peer from './peer/index.js';

// Reports a person reads: report.html (timeline + verdicts), junit.xml, report.md
export { writeRunReports, REPORT_FORMATS, REPORT_FILES, type ReportFormat, type WriteReportsOptions, type WrittenReports } from './report/write-reports.js';
export { loadRunReport, type RunReport, type RunReportOptions, type ReportStep } from './report/run-report.js';
export { readTimeline, TimelineBuilder, TIMELINE_BUCKET_MS, type Timeline, type TimelineOptions, type TimelineSeries, type FaultPeriod, type LeaderChange, type IsrChange, type ProbeMark, type ReadBackMark } from './report/timeline.js';
export type { LagProbeMark, RebalanceMark } from './report/consumer-marks.js';
export { renderHtmlReport } from './report/html.js';
export { renderJunitReport, junitXml, type JunitCase, type JunitSuite } from './report/junit.js';
export { renderMarkdownReport } from './report/markdown.js';
export { labUp, labDown, DEFAULT_LAB_DISK_MB, type LabUpOptions } from './lab/lab-hosts.js';
export { readLabState, type LabState, type LabHost } from './lab/lab-state.js';
export { MAX_LAB_HOSTS } from './lab/lab-plan.js';
export { PROVIDER_KINDS, type ProviderKind, type ClusterProvider } from './cluster/provider.js';
export { DEFAULT_UNDO_AFTER_MS, MIN_UNDO_AFTER_MS, MAX_UNDO_AFTER_MS, type SshHostsOptions, type SshHostsConfig } from './cluster/ssh/ssh-config.js';
export { clusterDetach, type DetachResult } from './cluster/ssh/detach.js';
export { DEFAULT_REMOTE_DIR } from './ssh/remote-layout.js';
export { clusterAttach } from './cluster/ssh/ssh-attach.js';
export { readNodeLog, observedClusterStatus } from './cluster/node-log.js';
