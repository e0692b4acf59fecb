export * from './field.js';
export * from './status.js';
