// etcd's --initial-cluster: "name=peerURL,name=peerURL2,other=peerURL3" (a name may repeat for
// several URLs). Invalid input is an error that says what is wrong.
export interface InitialMember {
  name: string;
  peerUrls: string[];
}

export function parseInitialCluster(spec: string): InitialMember[] {
  const byName = new Map<string, string[]>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`--initial-cluster: "${part}" is not name=URL`);
    const name = part.slice(0, eq);
    const url = part.slice(eq + 1);
    try {
      new URL(url);
    } catch {
      throw new Error(`--initial-cluster: "${url}" (member ${name}) is not a URL`);
    }
    const urls = byName.get(name) ?? [];
    urls.push(url);
    byName.set(name, urls);
  }
  if (byName.size === 0) throw new Error('--initial-cluster is empty');
  return [...byName].map(([name, peerUrls]) => ({ name, peerUrls }));
}
