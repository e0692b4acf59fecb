// Shared informers: several controllers that watch the same resource (with the same
// namespace and selectors) share one informer, hence one list, one watch and one cache, as
// with client-go's SharedInformerFactory.

import type { KubeClient, KubeObject } from '../rest/client.js';
import { selectorString, type SelectorInput } from '../rest/options.js';
import { resolveRef, type ResourceRef } from '../rest/resource.js';
import { Informer, type InformerOptions } from './informer.js';

export interface InformerFactoryOptions extends Omit<InformerOptions<KubeObject>, 'namespace' | 'labelSelector' | 'fieldSelector' | 'indexers'> {
  /** Limit every informer to one namespace (default: all). */
  namespace?: string;
}

export interface InformerSelection {
  namespace?: string;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(private readonly client: KubeClient, private readonly opts: InformerFactoryOptions = {}) {}

  /** The shared informer for this resource and selection, made on first use (and started if the factory runs). */
  informerFor<T extends KubeObject = KubeObject>(resource: ResourceRef, selection: InformerSelection = {}): Informer<T> {
    const t = resolveRef(resource);
    const namespace = selection.namespace ?? this.opts.namespace;
    const key = [t.group, t.version, t.resource, namespace ?? '', selectorString(selection.labelSelector) ?? '', selectorString(selection.fieldSelector) ?? ''].join('|');
    let inf = this.informers.get(key);
    if (inf === undefined) {
      inf = new Informer<KubeObject>(this.client, t, {
        ...this.opts,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(selection.labelSelector !== undefined ? { labelSelector: selection.labelSelector } : {}),
        ...(selection.fieldSelector !== undefined ? { fieldSelector: selection.fieldSelector } : {}),
      });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  /** Starts every informer made so far, and any made later. */
  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  /** Resolves true when every informer has synced; false if one stopped first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((inf) => inf.waitForSync(signal)));
    return results.every(Boolean);
  }

  async shutdown(): Promise<void> {
    this.started = false;
    await Promise.all([...this.informers.values()].map((inf) => inf.stop()));
    this.informers.clear();
  }
}
