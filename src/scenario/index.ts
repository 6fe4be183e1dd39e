export * from './scenario.js';
export { loadScenario, loadScenarioDir, parseScenario } from './load-scenario.js';
