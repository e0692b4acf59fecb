export * from './lookup.js';
export * from './types.js';
export { resources } from './resources.js';
