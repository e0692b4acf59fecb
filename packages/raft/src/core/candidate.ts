// Elections (§5.2, thesis §9.6): the pre-vote round, the real vote, and counting answers.
import type { Message } from '../types.js';
import { NONE } from '../types.js';
import { EMPTY_BYTES } from './bytes.js';
import { ReadIndexDroppedError, ProposalDroppedError } from './errors.js';
import { handleAppend, handleHeartbeat, handleSnapshot } from './follower.js';
import { bcastAppend } from './leader.js';
import { CAMPAIGN_TRANSFER, newMessage } from './message.js';
import type { Raft } from './raft.js';

/**
 * The election timer fired (or the application asked): start an election if we may.
 * `transfer` is a leadership transfer's timeoutNow: skip PreVote and bypass the lease.
 */
export function hup(r: Raft, transfer: boolean): void {
  if (r.role === 'leader') return;
  if (!r.promotable()) return;
  // Our configuration may be stale until we apply the committed conf changes.
  if (r.hasUnappliedConfChanges()) return;
  if (r.preVote && !transfer) campaign(r, 'preElection');
  else campaign(r, transfer ? 'transfer' : 'election');
}

type CampaignKind = 'preElection' | 'election' | 'transfer';

export function campaign(r: Raft, kind: CampaignKind): void {
  let term: number;
  let type: 'vote' | 'preVote';
  if (kind === 'preElection') {
    r.becomePreCandidate();
    type = 'preVote';
    // Ask with the term we would campaign in, without moving to it.
    term = r.term + 1;
  } else {
    r.becomeCandidate();
    type = 'vote';
    term = r.term;
  }
  // Our own vote (durable with this Ready's hard state before any request goes out).
  if (poll(r, r.id, true) === 'won') {
    // A single voter wins at once.
    if (kind === 'preElection') campaign(r, 'election');
    else becomeLeaderAndAnnounce(r);
    return;
  }
  const lastIndex = r.log.lastIndex();
  const lastTerm = r.log.lastTerm();
  for (const id of r.trk.voters) {
    if (id === r.id) continue;
    r.send(
      newMessage(type, id, {
        term,
        logTerm: lastTerm,
        index: lastIndex,
        context: kind === 'transfer' ? CAMPAIGN_TRANSFER : EMPTY_BYTES,
      }),
    );
  }
}

function poll(r: Raft, id: number, granted: boolean): 'won' | 'lost' | 'pending' {
  r.trk.recordVote(id, granted);
  return r.trk.tallyVotes().result;
}

function becomeLeaderAndAnnounce(r: Raft): void {
  r.becomeLeader();
  bcastAppend(r);
}

export function stepCandidate(r: Raft, m: Message): void {
  const myVoteResp = r.role === 'preCandidate' ? 'preVoteResp' : 'voteResp';
  switch (m.type) {
    case 'prop':
      throw new ProposalDroppedError('noLeader', `no leader at term ${r.term}; dropping proposal`);
    case 'readIndex':
      throw new ReadIndexDroppedError('noLeader', `no leader at term ${r.term}; dropping read`);
    case 'app':
      // Someone won this term (§5.2): follow it.
      r.becomeFollower(m.term, m.from);
      handleAppend(r, m);
      return;
    case 'heartbeat':
      r.becomeFollower(m.term, m.from);
      handleHeartbeat(r, m);
      return;
    case 'snap':
      r.becomeFollower(m.term, m.from);
      handleSnapshot(r, m);
      return;
    case 'voteResp':
    case 'preVoteResp': {
      if (m.type !== myVoteResp) return; // an answer to an earlier round
      const res = poll(r, m.from, !m.reject);
      if (res === 'won') {
        if (r.role === 'preCandidate') campaign(r, 'election');
        else becomeLeaderAndAnnounce(r);
      } else if (res === 'lost') {
        // A preCandidate rejected at a higher term already became its follower in step().
        r.becomeFollower(r.term, NONE);
      }
      return;
    }
    default:
      return; // timeoutNow, readIndexResp, stray responses: not for a candidate
  }
}
