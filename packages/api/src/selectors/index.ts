// Label and field selectors. This file only re-exports.
export * from './fields.js';
export * from './labels.js';
