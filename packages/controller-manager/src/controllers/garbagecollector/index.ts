// The garbage collector's descriptor, under upstream's --controllers name
// (names.GarbageCollectorController; upstream also accepts its old alias `garbagecollector`).

import type { ControllerDescriptor } from '../../controller/controller.js';
import { GarbageCollector } from './garbage-collector.js';

export const garbageCollectorDescriptor: ControllerDescriptor = {
  name: 'garbage-collector-controller',
  aliases: ['garbagecollector'],
  enabledByDefault: true,
  create: (ctx) => new GarbageCollector(ctx),
};

export { GarbageCollector, type GarbageCollectorOptions, garbageCollectorComponent, defaultIgnoredResources } from './garbage-collector.js';
export { DependencyGraph, GraphNode } from './graph.js';
export { GraphBuilder, type GraphSink, type ObservedChange } from './graph-builder.js';
export { decideDeletion, type ClassifiedReferences, type DeleteDecision } from './decide.js';
export { discoverPreferredResources, GroupDiscoveryFailedError, RestMapper, type DiscoveredResource, type Discovery } from './discovery.js';
export type { ObjectIdentity, OwnerReference } from './identity.js';
