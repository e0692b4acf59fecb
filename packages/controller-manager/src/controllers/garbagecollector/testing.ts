// The pure parts of the collector, for unit tests.
export { AbsentOwnerCache } from './absent-owner-cache.js';
export { decideDeletion } from './decide.js';
export { DependencyGraph, GraphNode } from './graph.js';
export { GraphBuilder, type GraphSink, type ObservedChange, referenceDiffs } from './graph-builder.js';
export type { OwnerReference } from './identity.js';
