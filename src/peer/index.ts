export * from './java-tool.js';
export * from './run-java-tool.js';
export * from './send-error-class.js';
export * from './verifiable-value.js';
export * from './verifiable-producer.js';
export * from './run-verifiable-producer.js';
export {
  PRODUCER_PERFORMANCE_CLASS,
  producerPerformanceCommand,
  runProducerPerformance,
  parseProducerPerformanceOutput,
  parseProducerPerformanceSummaryLine,
  type ProducerPerformanceOptions,
  type ProducerPerformanceResult,
  type ProducerPerformanceSummary,
} from './producer-performance.js';
export * from './verifiable-consumer.js';
export * from './verifiable-consumer-converter.js';
export * from './run-verifiable-consumer.js';
export * from './transactional-copier.js';
export * from './copier-history.js';
export * from './run-transactional-copier.js';
