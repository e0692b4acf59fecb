// Validation: apimachinery's primitives (names, labels, annotations ...) and, beside
// them, the per-kind object validation. This file only re-exports.
export * from './cluster.js';
export * from './config.js';
export * from './meta.js';
export * from './micro-time.js';
export * from './names.js';
export * from './object.js';
export * from './omitempty.js';
export * from './pod.js';
export * from './reviews.js';
export * from './schema.js';
export * from './service.js';
export * from './workloads.js';
export * from './update.js';
export * from './zero-values.js';
export * from './batch.js';
export * from './discovery.js';
