export * from './java-tool.js';
export * from './run-java-tool.js';
export * from './send-error-class.js';
export * from './verifiable-value.js';
export * from './verifiable-producer.js';
export {
  PRODUCER_PERFORMANCE_CLASS,
  producerPerformanceCommand,
  parseProducerPerformanceOutput,
  parseProducerPerformanceSummaryLine,
  type ProducerPerformanceOptions,
  type ProducerPerformanceResult,
  type ProducerPerformanceSummary,
} from './producer-performance.js';
