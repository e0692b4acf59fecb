export * from './types.js';
export * from './parse.js';
export * from './merge.js';
export * from './load.js';
export * from './resolve.js';
export * from './write.js';
