// Jobs: upstream's zero status on create, generation tracked, and, unless manualSelector, a
// selector the server generates from the Job's uid with the labels it adds to the template
// (upstream's generateSelector), so that no two Jobs ever select each other's pods.

import { jobLabels } from '@kubets/api';
import type { KubeObject } from '../../../storage/interface.js';
import { defineStrategy } from '../../default-strategy.js';
import { jobColumns } from './printer.js';

interface JobShape {
  spec?: {
    manualSelector?: boolean;
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> } };
  };
}

/** Adds the labels a client did not set itself; a conflicting value of its own is validation's to refuse. */
function addMissing(labels: Record<string, string>, added: Record<string, string>): void {
  for (const [key, value] of Object.entries(added)) labels[key] ??= value;
}

export function generateSelector(obj: KubeObject): void {
  const spec = ((obj as JobShape).spec ??= {});
  if (spec.manualSelector === true) return;
  const uid = String(obj.metadata?.uid ?? '');
  const name = String(obj.metadata?.name ?? '');
  const template = (spec.template ??= {});
  const labels = ((template.metadata ??= {}).labels ??= {});
  addMissing(labels, { [jobLabels.legacyJobName]: name, [jobLabels.jobName]: name });
  addMissing(labels, { [jobLabels.legacyControllerUid]: uid, [jobLabels.controllerUid]: uid });
  const selector = (spec.selector ??= {});
  addMissing((selector.matchLabels ??= {}), { [jobLabels.controllerUid]: uid });
}

export const jobStrategy = defineStrategy({
  generationTracked: true,
  statusOnCreate: () => ({}),
  prepareForCreate: generateSelector,
  columns: jobColumns,
});
