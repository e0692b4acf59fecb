// Who a request comes from. kubets has no authentication yet, so every request is anonymous,
// as kube-apiserver with --anonymous-auth and no authenticator takes it, unless it impersonates
// someone: with no authorization (upstream's AlwaysAllow) anyone may impersonate anyone, so
// Impersonate-User, -Uid, -Group and -Extra-<key> (what `kubectl --as` sends) are honoured
// with upstream's rules. The review endpoints answer for this identity; authentication and
// RBAC will change what it is, not who asks for it.

import type { IncomingMessage } from 'node:http';
import { internalError } from '@kubets/api';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const anonymous = 'system:anonymous';
export const allAuthenticated = 'system:authenticated';
export const allUnauthenticated = 'system:unauthenticated';

const extraPrefix = 'impersonate-extra-';

/** Each header's values apart (kubectl sends one Impersonate-Group header per group), as Node's headersDistinct keeps them. */
export type DistinctHeaders = IncomingMessage['headersDistinct'];

function values(h: string[] | undefined): string[] {
  return (h ?? []).filter((v) => v !== '');
}

/** Extra keys travel lower-cased and percent-encoded in header names. */
function extraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function impersonatedExtra(headers: DistinctHeaders): Record<string, string[]> | undefined {
  const extra: Record<string, string[]> = {};
  for (const [name, v] of Object.entries(headers)) {
    if (!name.startsWith(extraPrefix)) continue;
    const key = extraKey(name.slice(extraPrefix.length));
    if (key !== '__proto__') extra[key] = [...(extra[key] ?? []), ...values(v)];
  }
  return Object.keys(extra).length === 0 ? undefined : extra;
}

/** `system:serviceaccount:<ns>:<name>` impersonated without groups gets its fixed groups. */
function serviceAccountGroups(username: string): string[] {
  const parts = username.split(':');
  if (parts.length !== 4 || parts[0] !== 'system' || parts[1] !== 'serviceaccount' || parts[2] === '' || parts[3] === '') return [];
  return ['system:serviceaccounts', `system:serviceaccounts:${parts[2]}`];
}

/** The identity a request acts as. Impersonating groups, a uid or extras without a user is an error (500, as upstream). */
export function requestUser(headers: DistinctHeaders): UserInfo {
  const user = values(headers['impersonate-user'])[0] ?? '';
  const uid = values(headers['impersonate-uid'])[0];
  const groupsAsked = values(headers['impersonate-group']);
  const extra = impersonatedExtra(headers);
  if (user === '') {
    if (groupsAsked.length > 0 || uid !== undefined || extra !== undefined) {
      throw internalError(new Error('requested impersonation of groups, uid or user extras without impersonating a user'));
    }
    return { username: anonymous, groups: [allUnauthenticated] };
  }
  const groups = groupsAsked.length > 0 ? [...groupsAsked] : serviceAccountGroups(user);
  // Upstream adds the all-users group that matches the impersonated user, unless asked for already.
  if (user !== anonymous && !groups.includes(allAuthenticated) && !groups.includes(allUnauthenticated)) groups.push(allAuthenticated);
  if (user === anonymous && !groups.includes(allUnauthenticated)) groups.push(allUnauthenticated);
  return { username: user, ...(uid !== undefined ? { uid } : {}), groups, ...(extra !== undefined ? { extra } : {}) };
}
