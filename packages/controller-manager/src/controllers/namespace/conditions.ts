// The conditions the namespace controller keeps on a Terminating namespace (upstream's
// namespaceConditionUpdater): one per way deletion can be stuck, True with what is wrong, or False
// with upstream's reassuring reason and message once it is not. Pure: the deleter feeds it what
// one pass found, and update() says whether the namespace's status changed.

import { GroupDiscoveryFailedError } from '../garbagecollector/discovery.js';

export interface NamespaceCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** What is left in the namespace after a pass: instances per resource and per finalizer. */
export interface ContentTotals {
  /** By `<resource>.<group>` (`pods.` for the core group, as upstream prints it). */
  remainingByResource: Map<string, number>;
  remainingByFinalizer: Map<string, number>;
}

/** The types the controller owns, in upstream's order; conditions of other types are left alone. */
export const namespaceConditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

type ConditionType = (typeof namespaceConditionTypes)[number];

const okReasons: Record<ConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentHasNoFinalizers',
};

const okMessages: Record<ConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content-preserving finalizers finished',
};

export class NamespaceConditionUpdater {
  private readonly found: NamespaceCondition[] = [];
  private readonly deleteContentErrors: string[] = [];

  /** `now` gives lastTransitionTime: an RFC 3339 time in whole seconds. */
  constructor(private readonly now: () => string) {}

  discoveryFailed(err: Error): void {
    const message = err instanceof GroupDiscoveryFailedError ? `Discovery failed for some groups, ${err.groups.size} failing: ${err.message}` : err.message;
    this.add('NamespaceDeletionDiscoveryFailure', 'DiscoveryFailed', message);
  }

  groupVersionParsingFailed(message: string): void {
    this.add('NamespaceDeletionGroupVersionParsingFailure', 'GroupVersionParsingFailed', message);
  }

  deleteContentFailed(message: string): void {
    this.deleteContentErrors.push(message);
  }

  contentTotals(totals: ContentTotals): void {
    const resources = countsText(totals.remainingByResource, (name, n) => `${name} has ${n} resource instances`);
    if (resources.length > 0) this.add('NamespaceContentRemaining', 'SomeResourcesRemain', `Some resources are remaining: ${resources.join(', ')}`);
    const finalizers = countsText(totals.remainingByFinalizer, (name, n) => `${name} in ${n} resource instances`);
    if (finalizers.length > 0) this.add('NamespaceFinalizersRemaining', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`);
  }

  /**
   * Writes this pass's findings into the conditions (the ok variant for each type not found
   * failing); returns whether anything changed. lastTransitionTime moves only when status does.
   */
  update(status: { conditions?: NamespaceCondition[] }): boolean {
    if (this.deleteContentErrors.length > 0 && !this.found.some((c) => c.type === 'NamespaceDeletionContentFailure')) {
      const msgs = [...this.deleteContentErrors].sort();
      this.add('NamespaceDeletionContentFailure', 'ContentDeletionFailed', `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`);
    }
    const conditions = (status.conditions ??= []);
    let changed = false;
    for (const type of namespaceConditionTypes) {
      const next = this.found.find((c) => c.type === type) ?? this.condition(type, 'False', okReasons[type], okMessages[type]);
      const old = conditions.find((c) => c.type === type);
      if (old === undefined) {
        conditions.push(next);
        changed = true;
      } else if (old.status !== next.status || old.reason !== next.reason || old.message !== next.message) {
        if (old.status !== next.status) old.lastTransitionTime = this.now();
        old.status = next.status;
        old.reason = next.reason!;
        old.message = next.message!;
        changed = true;
      }
    }
    return changed;
  }

  private add(type: ConditionType, reason: string, message: string): void {
    this.found.push(this.condition(type, 'True', reason, message));
  }

  private condition(type: ConditionType, status: string, reason: string, message: string): NamespaceCondition {
    return { type, status, lastTransitionTime: this.now(), reason, message };
  }
}

/** The non-zero counts as text, sorted so that the message is stable between passes. */
function countsText(counts: Map<string, number>, text: (name: string, n: number) => string): string[] {
  return [...counts.entries()].filter(([, n]) => n > 0).map(([name, n]) => text(name, n)).sort();
}
