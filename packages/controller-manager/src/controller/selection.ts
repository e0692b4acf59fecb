// --controllers, as kube-controller-manager reads it: `*` turns on every controller that is on
// by default, `foo` turns foo on, `-foo` turns it off; a named controller wins over `*`. A
// controller answers to its name and to its aliases (the names before upstream's 1.28).

import type { ControllerDescriptor } from './controller.js';

export class UnknownControllerError extends Error {
  override name = 'UnknownControllerError';
}

export function selectControllers(all: readonly ControllerDescriptor[], spec: readonly string[]): ControllerDescriptor[] {
  const byName = new Map<string, string>();
  for (const c of all) for (const n of [c.name, ...(c.aliases ?? [])]) byName.set(n, c.name);
  const on = new Set<string>();
  const off = new Set<string>();
  for (const item of spec) {
    const name = item.startsWith('-') ? item.slice(1) : item;
    if (name === '*') continue;
    const canonical = byName.get(name);
    if (canonical === undefined) {
      throw new UnknownControllerError(`"${name}" is not in the list of known controllers: ${all.map((c) => c.name).sort().join(', ')}`);
    }
    (item.startsWith('-') ? off : on).add(canonical);
  }
  const star = spec.includes('*');
  return all.filter((c) => !off.has(c.name) && (on.has(c.name) || (star && c.enabledByDefault)));
}
