// Reading one kubeconfig file: YAML (JSON is YAML too) into the typed shape, with errors
// that name the file and the entry, and with relative file references made absolute against
// the file's own directory, as kubectl resolves them.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import YAML from 'yaml';
import type { Kubeconfig } from './types.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Named = { name: string } & Record<string, unknown>;

function namedList(file: string, doc: Record<string, unknown>, list: string, key: string): Named[] {
  const raw = doc[list];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new Error(`kubeconfig ${file}: ${list} must be a list`);
  return raw.map((entry, i) => {
    if (!isObject(entry) || typeof entry.name !== 'string' || entry.name === '') {
      throw new Error(`kubeconfig ${file}: ${list}[${i}] needs a name`);
    }
    const body = entry[key] ?? {};
    if (!isObject(body)) throw new Error(`kubeconfig ${file}: ${list}[${i}] (${entry.name}).${key} must be a map`);
    return { ...entry, name: entry.name, [key]: { ...body } };
  });
}

/** Parses kubeconfig text. `file` is used in messages and to resolve relative paths. */
export function parseKubeconfig(text: string, file = '<inline>'): Kubeconfig {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new Error(`kubeconfig ${file}: not valid YAML: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isObject(doc)) throw new Error(`kubeconfig ${file}: the document must be a map`);
  const kc: Kubeconfig = {
    ...doc,
    clusters: namedList(file, doc, 'clusters', 'cluster') as unknown as Kubeconfig['clusters'],
    users: namedList(file, doc, 'users', 'user') as unknown as Kubeconfig['users'],
    contexts: namedList(file, doc, 'contexts', 'context') as unknown as Kubeconfig['contexts'],
  };
  for (const c of kc.contexts) {
    if (typeof c.context.cluster !== 'string') c.context.cluster = '';
  }
  const current = doc['current-context'];
  if (current !== undefined && current !== null && typeof current !== 'string') {
    throw new Error(`kubeconfig ${file}: current-context must be a string`);
  }
  if (typeof current === 'string') kc['current-context'] = current;
  return kc;
}

/** Makes the file references of a kubeconfig absolute against `dir` (in place). */
export function resolveKubeconfigPaths(kc: Kubeconfig, dir: string): Kubeconfig {
  const abs = (p: unknown) => (typeof p === 'string' && p !== '' && !isAbsolute(p) ? resolve(dir, p) : p);
  for (const { cluster } of kc.clusters) {
    if (cluster['certificate-authority'] !== undefined) cluster['certificate-authority'] = abs(cluster['certificate-authority']) as string;
  }
  for (const { user } of kc.users) {
    for (const k of ['client-certificate', 'client-key', 'tokenFile'] as const) {
      if (user[k] !== undefined) user[k] = abs(user[k]) as string;
    }
  }
  return kc;
}

/** Reads and parses one kubeconfig file, resolving its relative paths. */
export function readKubeconfigFile(path: string): Kubeconfig {
  const text = readFileSync(path, 'utf8');
  return resolveKubeconfigPaths(parseKubeconfig(text, path), dirname(resolve(path)));
}
