export * from './scenario.js';
export { loadScenario, loadScenarioDir, parseScenario } from './load-scenario.js';
export { FAULT_KEYS } from './read-fault.js';
