// The configuration (voters and learners), each member's Progress, and the quorum arithmetic:
// the committed index, vote tallies and CheckQuorum's liveness test. Majorities count voters only.
import type { ConfState, NodeId } from '../types.js';
import { Progress } from './progress.js';

export type VoteResult = 'won' | 'lost' | 'pending';

export class ProgressTracker {
  voters = new Set<NodeId>();
  learners = new Set<NodeId>();
  progress = new Map<NodeId, Progress>();
  private votes = new Map<NodeId, boolean>();

  constructor(
    readonly maxInflight: number,
    readonly maxInflightBytes: number,
  ) {}

  quorum(): number {
    return Math.floor(this.voters.size / 2) + 1;
  }

  isSingleton(): boolean {
    return this.voters.size === 1;
  }

  isVoter(id: NodeId): boolean {
    return this.voters.has(id);
  }

  confState(): ConfState {
    return { voters: [...this.voters].sort((a, b) => a - b), learners: [...this.learners].sort((a, b) => a - b) };
  }

  /** The highest index a majority of voters has (0 with no voters: nothing can commit). */
  committed(): number {
    const n = this.voters.size;
    if (n === 0) return 0;
    const matches: number[] = [];
    for (const id of this.voters) matches.push(this.progress.get(id)?.match ?? 0);
    matches.sort((a, b) => b - a);
    return matches[this.quorum() - 1]!;
  }

  /** CheckQuorum: did a majority of voters talk to us during the last election timeout? */
  quorumActive(): boolean {
    let active = 0;
    for (const id of this.voters) if (this.progress.get(id)?.recentActive) active++;
    return this.voters.size > 0 && active >= this.quorum();
  }

  /** A majority of voters among `ids` (used for ReadIndex acknowledgements). */
  hasQuorum(ids: ReadonlySet<NodeId>): boolean {
    let n = 0;
    for (const id of this.voters) if (ids.has(id)) n++;
    return this.voters.size > 0 && n >= this.quorum();
  }

  resetVotes(): void {
    this.votes.clear();
  }

  /** Records the first answer of each node; a duplicated response counts once. */
  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const id of this.voters) {
      const v = this.votes.get(id);
      if (v === true) granted++;
      else if (v === false) rejected++;
    }
    const q = this.quorum();
    const missing = this.voters.size - granted - rejected;
    let result: VoteResult = 'pending';
    if (this.voters.size > 0 && granted >= q) result = 'won';
    else if (granted + missing < q) result = 'lost';
    return { granted, rejected, result };
  }

  newProgress(next: number, isLearner: boolean): Progress {
    return new Progress(next, this.maxInflight, this.maxInflightBytes, isLearner);
  }
}
