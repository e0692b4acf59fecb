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

export class MemberTable {
  private readonly members = new Map<number, Member>();

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
  }

  /** A member published its name and client URLs. */
  publish(id: number, name: string, clientUrls: string[]): void {
    const m = this.members.get(id);
    if (m) {
      m.name = name;
      m.clientUrls = clientUrls;
    }
  }

  toJSON(): Member[] {
    return this.list();
  }

  static fromJSON(list: Member[]): MemberTable {
    return new MemberTable(list);
  }
}
