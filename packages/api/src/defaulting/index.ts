export * from './objects.js';
export * from './pod.js';
export * from './batch.js';
