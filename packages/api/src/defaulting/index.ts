export * from './objects.js';
export * from './pod.js';
