// The kubelet's list-valued flags as upstream spells them: --node-labels k=v,k2=v2,
// --register-with-taints k=v:Effect, --system-reserved cpu=100m,memory=256Mi, and sizes like 10Mi.
import { tryParseQuantity } from '@kubets/api';
import { FlagError } from '@kubets/component-base';

const items = (value: string) => value.split(',').map((s) => s.trim()).filter((s) => s !== '');

export function parseKeyValues(value: string, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items(value)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new FlagError(`invalid ${flag} entry ${JSON.stringify(item)}: expected key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export interface TaintFlag {
  key: string;
  value?: string;
  effect: string;
}

const effects = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export function parseTaints(value: string): TaintFlag[] {
  return items(value).map((item) => {
    const colon = item.lastIndexOf(':');
    const effect = colon < 0 ? '' : item.slice(colon + 1);
    if (!effects.has(effect)) throw new FlagError(`invalid taint ${JSON.stringify(item)}: the effect must be one of NoSchedule, PreferNoSchedule, NoExecute`);
    const [key, taintValue] = item.slice(0, colon).split('=', 2) as [string, string | undefined];
    if (key === '') throw new FlagError(`invalid taint ${JSON.stringify(item)}: no key`);
    return taintValue === undefined ? { key, effect } : { key, value: taintValue, effect };
  });
}

export function parseResourceList(value: string, flag: string): Record<string, string> {
  const list = parseKeyValues(value, flag);
  for (const [name, q] of Object.entries(list)) {
    if (tryParseQuantity(q) instanceof Error) throw new FlagError(`invalid ${flag}: ${name}=${q} is not a quantity`);
  }
  return list;
}

/** A size such as 10Mi or 1048576, in bytes. */
export function parseSize(value: string, flag: string): number {
  const q = tryParseQuantity(value);
  if (q instanceof Error || q.sign() <= 0) throw new FlagError(`invalid ${flag} ${JSON.stringify(value)}: not a positive size`);
  return Number(q.value());
}
