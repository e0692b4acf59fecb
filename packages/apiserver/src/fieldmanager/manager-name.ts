// Who a write is recorded for: the fieldManager query parameter, or else the client's
// User-Agent up to its first '/' ("kubectl/v1.32.0 (linux/amd64) ..." is "kubectl"), as
// upstream does. Names are at most 128 bytes of printable characters.

import { invalid, type FieldError } from '@kubets/api';

export const maxManagerLength = 128;

// Control characters and the Unicode classes Go's unicode.IsPrint rejects (separators other
// than the ASCII space, format characters, unassigned and private-use code points).
const unprintableClass = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u;
const space = /\p{Zs}/u;
const unprintable = { test: (ch: string) => unprintableClass.test(ch) || (ch !== ' ' && space.test(ch)) };

/** The manager recorded for a write without a fieldManager: the User-Agent's product name. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0]!) {
    if (unprintable.test(ch)) continue;
    if (Buffer.byteLength(out + ch) > maxManagerLength) break;
    out += ch;
  }
  return out;
}

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/** The fieldManager, force and patch-type rules of upstream's options validation: 422 Invalid. */
export function checkWriteOptions(kind: OptionsKind, fieldManager: string | undefined, force: boolean, apply: boolean): void {
  const errs: FieldError[] = [];
  if (fieldManager !== undefined && fieldManager !== '') {
    if (Buffer.byteLength(fieldManager) > maxManagerLength) {
      errs.push({ type: 'FieldValueTooLong', field: 'fieldManager', value: fieldManager, detail: `must have at most ${maxManagerLength} bytes` });
    }
    if ([...fieldManager].some((ch) => unprintable.test(ch))) {
      errs.push({ type: 'FieldValueInvalid', field: 'fieldManager', value: fieldManager, detail: 'must only contain printable characters' });
    }
  }
  if (apply && (fieldManager === undefined || fieldManager === '')) {
    errs.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
  }
  if (kind === 'PatchOptions' && !apply && force) {
    errs.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
  }
  if (errs.length > 0) throw invalid({ group: 'meta.k8s.io', kind }, '', errs);
}
