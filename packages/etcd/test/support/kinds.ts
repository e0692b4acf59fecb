// Which clusters the conformance suite runs against, and a checked way to start one.
// ETCD_CONFORMANCE_KINDS is a comma list of 'real' and 'kubets' (default both). A kind that
// was asked for but cannot run is a failure that says why, never a silent skip.

import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Cluster, type ClusterKind, startCluster } from './cluster.js';

const KINDS: readonly ClusterKind[] = ['real', 'kubets'];

/** The kinds named by ETCD_CONFORMANCE_KINDS ('real,kubets' when unset); throws on a name it does not know. */
export function conformanceKinds(): ClusterKind[] {
  const raw = process.env.ETCD_CONFORMANCE_KINDS ?? 'real,kubets';
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new Error(`ETCD_CONFORMANCE_KINDS=${JSON.stringify(raw)} names no kind; use real, kubets or both`);
  for (const n of names) {
    if (!KINDS.includes(n as ClusterKind)) {
      throw new Error(`ETCD_CONFORMANCE_KINDS names ${JSON.stringify(n)}; the kinds are ${KINDS.join(', ')}`);
    }
  }
  return [...new Set(names as ClusterKind[])];
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** Fails with a message that says what to install or build when `kind` cannot be started here. */
export function checkKindAvailable(kind: ClusterKind): void {
  if (kind === 'real') {
    const bin = process.env.ETCD_BIN ?? '/usr/bin/etcd';
    if (!executable(bin)) {
      throw new Error(
        `real etcd is not available: ${bin} is missing or not executable. Install Debian's etcd 3.4 ` +
          `(apt-get install etcd-server), point ETCD_BIN at an etcd 3.4 binary, or run only kubets-etcd ` +
          `with ETCD_CONFORMANCE_KINDS=kubets.`,
      );
    }
  } else {
    // dist/test/support/kinds.js -> dist/src/main.js, as cluster.ts resolves it.
    const main = fileURLToPath(new URL('../../src/main.js', import.meta.url));
    if (!readable(main)) {
      throw new Error(
        `kubets-etcd is not built: ${main} is missing. Build it (cd /work/main && npx tsc -b), or run only ` +
          `real etcd with ETCD_CONFORMANCE_KINDS=real.`,
      );
    }
  }
}

/** startCluster after checking that the kind can run at all. */
export async function startConformanceCluster(kind: ClusterKind): Promise<Cluster> {
  checkKindAvailable(kind);
  return startCluster({ kind });
}
