// The follower (§5.3, §7): accept the leader's appends, heartbeats and snapshots, and forward
// proposals and reads to it.
import type { Message } from '../types.js';
import { NONE } from '../types.js';
import { invariant } from './assert.js';
import { hup } from './candidate.js';
import { ProposalDroppedError, ReadIndexDroppedError } from './errors.js';
import { newMessage } from './message.js';
import type { Raft } from './raft.js';

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case 'prop':
      if (r.lead === NONE) throw new ProposalDroppedError('noLeader', `no leader at term ${r.term}; dropping proposal`);
      if (r.disableProposalForwarding) throw new ProposalDroppedError('notLeader', 'proposal forwarding is disabled');
      r.send(newMessage('prop', r.lead, { entries: m.entries }));
      return;
    case 'app':
      heardFromLeader(r, m);
      handleAppend(r, m);
      return;
    case 'heartbeat':
      heardFromLeader(r, m);
      handleHeartbeat(r, m);
      return;
    case 'snap':
      heardFromLeader(r, m);
      handleSnapshot(r, m);
      return;
    case 'timeoutNow':
      // The leader is handing over to us (thesis §3.10): campaign now, skipping PreVote.
      hup(r, true);
      return;
    case 'readIndex':
      if (r.lead === NONE) throw new ReadIndexDroppedError('noLeader', `no leader at term ${r.term}; dropping read`);
      r.send(newMessage('readIndex', r.lead, { context: m.context }));
      return;
    case 'readIndexResp':
      r.readStates.push({ index: m.index, context: m.context });
      return;
    default:
      return; // responses meant for a leader or candidate we no longer are
  }
}

function heardFromLeader(r: Raft, m: Message): void {
  r.electionElapsed = 0;
  r.lead = m.from;
  // A leader that counts us is in charge; it will commit and apply whatever removed us.
  r.caretaker = false;
}

/** AppendEntries receiver (Figure 2), with the thesis's fast backtracking hint on rejection. */
export function handleAppend(r: Raft, m: Message): void {
  const log = r.log;
  if (m.index < log.committed) {
    // Everything up to commit is settled; tell the leader where we are.
    r.send(newMessage('appResp', m.from, { index: log.committed }));
    return;
  }
  for (let k = 0; k < m.entries.length; k++) {
    const e = m.entries[k]!;
    invariant(e.index === m.index + 1 + k && e.term <= m.term, () => `append from ${m.from}: entry ${e.index}/${e.term} does not follow ${m.index} in term ${m.term}`);
  }
  const lastNew = log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
  if (lastNew !== undefined) {
    r.send(newMessage('appResp', m.from, { index: lastNew }));
    return;
  }
  // Mismatch at m.index. Point the leader at the last entry that can possibly match: the last
  // one of ours at or below m.index whose term is <= m.logTerm.
  const [hintIndex, hintTerm] = log.findConflictByTerm(Math.min(m.index, log.lastIndex()), m.logTerm);
  r.send(newMessage('appResp', m.from, { index: m.index, reject: true, rejectHint: hintIndex, logTerm: hintTerm }));
}

export function handleHeartbeat(r: Raft, m: Message): void {
  // The leader sends at most our match index as commit, so this never runs past our log.
  r.log.commitTo(m.commit);
  r.send(newMessage('heartbeatResp', m.from, { context: m.context }));
}

/** InstallSnapshot (§7). */
export function handleSnapshot(r: Raft, m: Message): void {
  const s = m.snapshot;
  invariant(s !== undefined, () => `snap message from ${m.from} without a snapshot`);
  if (r.restore(s)) {
    r.send(newMessage('appResp', m.from, { index: r.log.lastIndex() }));
  } else {
    r.send(newMessage('appResp', m.from, { index: r.log.committed }));
  }
}
