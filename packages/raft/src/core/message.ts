// Building messages: every field has a neutral default so each send names only what matters.
import type { Message, MessageType, NodeId } from '../types.js';
import { EMPTY_BYTES } from './bytes.js';

export function newMessage(type: MessageType, to: NodeId, fields: Partial<Message> = {}): Message {
  return {
    type,
    from: 0,
    to,
    term: 0,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    context: EMPTY_BYTES,
    ...fields,
  };
}

/** The response type to a vote request of type t. */
export function voteRespType(t: 'vote' | 'preVote'): 'voteResp' | 'preVoteResp' {
  return t === 'vote' ? 'voteResp' : 'preVoteResp';
}

/** Messages whose term the sender sets explicitly (a preVote carries a future term). */
export function isVoteMessage(t: MessageType): boolean {
  return t === 'vote' || t === 'voteResp' || t === 'preVote' || t === 'preVoteResp';
}

/** Vote requests caused by a leadership transfer carry this context: they bypass the lease. */
export const CAMPAIGN_TRANSFER = new Uint8Array([0x74, 0x72, 0x61, 0x6e, 0x73, 0x66, 0x65, 0x72]); // "transfer"
