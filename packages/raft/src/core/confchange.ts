// Single-server membership changes (thesis §4.1), applied when the entry is applied, as in
// etcd. Only one change may be pending at a time, so any two successive configurations differ by
// one server and their majorities overlap.
import type { ConfChange, ConfChangeType, ConfState, NodeId } from '../types.js';
import { NONE } from '../types.js';
import { invariant } from './assert.js';
import type { ProgressTracker } from './tracker.js';

const TYPE_CODES: Record<ConfChangeType, number> = { addNode: 1, addLearner: 2, removeNode: 3 };
const CODE_TYPES: Record<number, ConfChangeType> = { 1: 'addNode', 2: 'addLearner', 3: 'removeNode' };

/** Entry data of a 'confChange' entry: [type:u8][nodeId:f64][context...]. */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  const out = new Uint8Array(9 + cc.context.length);
  const dv = new DataView(out.buffer);
  dv.setUint8(0, TYPE_CODES[cc.type]);
  dv.setFloat64(1, cc.nodeId);
  out.set(cc.context, 9);
  return out;
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  invariant(data.length >= 9, 'conf change entry too short');
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const type = CODE_TYPES[dv.getUint8(0)];
  invariant(type !== undefined, () => `unknown conf change type ${dv.getUint8(0)}`);
  const nodeId = dv.getFloat64(1);
  invariant(Number.isSafeInteger(nodeId) && nodeId >= 0, () => `bad node id in conf change: ${nodeId}`);
  return { type, nodeId, context: data.slice(9) };
}

/** Why `cc` cannot be applied to the configuration `cs`, or undefined if it can. */
export function confChangeProblem(cs: { voters: ReadonlySet<NodeId> }, cc: ConfChange): string | undefined {
  if (cc.nodeId === NONE) return 'node id 0 is reserved';
  const lastVoter = cs.voters.size === 1 && cs.voters.has(cc.nodeId);
  if ((cc.type === 'removeNode' || cc.type === 'addLearner') && lastVoter) return `node ${cc.nodeId} is the last voter`;
  return undefined;
}

/** Applies `cc` to the tracker's configuration. New members are probed from `lastIndex`. */
export function applyToTracker(trk: ProgressTracker, cc: ConfChange, lastIndex: number): void {
  const id = cc.nodeId;
  const problem = confChangeProblem(trk, cc);
  invariant(problem === undefined, () => `applying conf change ${cc.type} ${id}: ${problem}`);
  const pr = trk.progress.get(id);
  switch (cc.type) {
    case 'addNode':
      trk.learners.delete(id);
      trk.voters.add(id);
      if (pr) pr.isLearner = false;
      else addProgress(trk, id, lastIndex, false);
      break;
    case 'addLearner':
      trk.voters.delete(id); // demotes a voter
      trk.learners.add(id);
      if (pr) pr.isLearner = true;
      else addProgress(trk, id, lastIndex, true);
      break;
    case 'removeNode':
      trk.voters.delete(id);
      trk.learners.delete(id);
      trk.progress.delete(id);
      break;
  }
}

function addProgress(trk: ProgressTracker, id: NodeId, lastIndex: number, isLearner: boolean): void {
  // Probing at lastIndex means the first append carries the last entry. The new member counts
  // as recently active, so CheckQuorum does not depose us before it had a chance to answer.
  const pr = trk.newProgress(Math.max(lastIndex, 1), isLearner);
  pr.recentActive = true;
  trk.progress.set(id, pr);
}

/** Rebuilds the configuration from a snapshot's (or the storage's) ConfState. */
export function restoreTracker(trk: ProgressTracker, cs: ConfState, lastIndex: number): void {
  trk.voters.clear();
  trk.learners.clear();
  trk.progress.clear();
  for (const id of cs.voters) {
    trk.voters.add(id);
    trk.progress.set(id, trk.newProgress(lastIndex + 1, false));
  }
  for (const id of cs.learners) {
    invariant(!trk.voters.has(id), () => `node ${id} is both voter and learner`);
    trk.learners.add(id);
    trk.progress.set(id, trk.newProgress(lastIndex + 1, true));
  }
}
