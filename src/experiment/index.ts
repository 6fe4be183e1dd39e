export * from './experiment.js';
export * from './experiment-limits.js';
export { expandMatrix } from './matrix.js';
export { planRandomSchedule } from './random-schedule.js';
export { loadExperiment, loadFile, parseFile, type FaultlineFile } from './load-file.js';
