// The benchmark's state machine: which proposals were applied, and a CRC chained over every
// applied payload in log order, so replicas that applied the same log have the same digest.
// A payload starts with its proposer (u32) and sequence number (u32).
import { crc32c } from '../storage/crc32c.js';
import type { StateMachine } from '../replica/replica.js';

export function proposalId(proposer: number, seq: number): number {
  return proposer * 2 ** 32 + seq;
}

export function encodeProposal(proposer: number, seq: number, bytes: number): Uint8Array {
  const data = new Uint8Array(Math.max(8, bytes));
  const view = new DataView(data.buffer);
  view.setUint32(0, proposer);
  view.setUint32(4, seq);
  for (let i = 8; i < data.length; i++) data[i] = (i * 31 + seq) & 0xff;
  return data;
}

export class Ledger implements StateMachine {
  digest = 0;
  readonly ids = new Set<number>();

  apply(_index: number, payload: Uint8Array): void {
    this.digest = crc32c(payload, this.digest);
    if (payload.length < 8) return;
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    this.ids.add(proposalId(view.getUint32(0), view.getUint32(4)));
  }

  snapshot(): Uint8Array {
    const out = new Float64Array(1 + this.ids.size);
    out[0] = this.digest;
    let i = 1;
    for (const id of this.ids) out[i++] = id;
    return new Uint8Array(out.buffer);
  }

  restore(data: Uint8Array): void {
    this.ids.clear();
    this.digest = 0;
    if (data.length < 8) return;
    const values = new Float64Array(data.slice().buffer);
    this.digest = values[0]!;
    for (let i = 1; i < values.length; i++) this.ids.add(values[i]!);
  }

  /** The applied ids, for the driver's durability check. */
  idsBytes(): Uint8Array {
    return new Uint8Array(Float64Array.from(this.ids).buffer);
  }
}
