export * from './types.js';
export * from './resources.js';
export * from './node-info.js';
