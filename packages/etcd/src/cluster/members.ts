// The replicated member list: ids, names, peer and client URLs, learner flags. It starts from the
// initial cluster configuration; conf change entries add and remove members, and each member
// publishes its name and client URLs through the log once it starts (as etcd's publish does).
export interface Member {
  id: number;
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  isLearner: boolean;
}

export interface MemberTableJSON {
  members: Member[];
  /** Ids of removed members: etcd never lets an id come back. */
  removed: number[];
}

export class MemberTable {
  private readonly members = new Map<number, Member>();
  private readonly removed = new Set<number>();

  constructor(initial: Member[] = []) {
    for (const m of initial) this.members.set(m.id, { ...m });
  }

  list(): Member[] {
    return [...this.members.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): Member | undefined {
    return this.members.get(id);
  }

  add(m: Member): void {
    this.members.set(m.id, { ...m });
  }

  remove(id: number): void {
    this.members.delete(id);
    this.removed.add(id);
  }

  isRemoved(id: number): boolean {
    return this.removed.has(id);
  }

  /** A member published its name and client URLs. */
  publish(id: number, name: string, clientUrls: string[]): void {
    const m = this.members.get(id);
    if (m) {
      m.name = name;
      m.clientUrls = clientUrls;
    }
  }

  toJSON(): MemberTableJSON {
    return { members: this.list(), removed: [...this.removed] };
  }

  static fromJSON(j: MemberTableJSON): MemberTable {
    const t = new MemberTable(j.members);
    for (const id of j.removed) t.removed.add(id);
    return t;
  }
}
