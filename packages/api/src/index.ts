// @kubets/api: the Kubernetes object model shared by every kubets component.
export * from './defaulting/index.js';
export * from './errors/index.js';
export * from './quantity/index.js';
export * from './registry/index.js';
export * from './schemas/index.js';
export * from './selectors/index.js';
export * from './validation/index.js';
