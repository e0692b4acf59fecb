// The continue token of a paged list, in kube-apiserver's format: base64 of
// {"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<next key, relative to the prefix>"}.

import { badRequest } from '@kubets/api';

export interface ContinueToken {
  rv: number;
  /** The key to start from, relative to the resource prefix. */
  start: string;
}

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64');
}

export function decodeContinue(token: string): ContinueToken {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: the token could not be decoded');
  }
  if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || !Number.isSafeInteger(parsed.rv) || parsed.rv < 1 || typeof parsed.start !== 'string') {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (parsed.start.includes('..') || parsed.start.startsWith('/')) throw badRequest('continue key is not valid: invalid start path');
  return { rv: parsed.rv, start: parsed.start };
}
