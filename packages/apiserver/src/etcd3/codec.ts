// The etcd v3 JSON gateway's encoding: keys and values are base64, int64s are strings,
// default-valued fields are left out.

export interface KeyValue {
  key: string;
  value: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: number;
}

export interface RawKeyValue {
  key?: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
  lease?: string;
}

export const b64 = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');

export function num(v: string | number | undefined): number {
  return v === undefined ? 0 : Number(v);
}

export function decodeKv(raw: RawKeyValue): KeyValue {
  return {
    key: Buffer.from(raw.key ?? '', 'base64').toString('utf8'),
    value: Buffer.from(raw.value ?? '', 'base64'),
    createRevision: num(raw.create_revision),
    modRevision: num(raw.mod_revision),
    version: num(raw.version),
    lease: num(raw.lease),
  };
}

/** The range_end that makes [prefix, end) cover every key starting with `prefix`. */
export function prefixEnd(prefix: string): string {
  const buf = Buffer.from(prefix, 'utf8');
  for (let i = buf.length - 1; i >= 0; i--) {
    if (buf[i]! < 0xff) {
      const end = Buffer.from(buf.subarray(0, i + 1));
      end[i] = buf[i]! + 1;
      return end.toString('latin1');
    }
  }
  return '\0';
}

/** base64 of a key given as a latin1 byte string (what prefixEnd returns) or UTF-8 text. */
export function b64Bytes(s: string, latin1 = false): string {
  return Buffer.from(s, latin1 ? 'latin1' : 'utf8').toString('base64');
}
