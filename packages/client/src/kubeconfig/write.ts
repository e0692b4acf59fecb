// Writing a kubeconfig that kubectl and every kubets component read alike: one cluster, one
// user, one context (made current). kubectl talks to `server` (the first URL); kubets
// components also read the full list from the `kubets.io/servers` cluster extension.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import YAML from 'yaml';
import { serversExtensionName, type Kubeconfig, type KubeconfigCluster, type KubeconfigUser } from './types.js';

export interface KubeconfigUserOptions {
  /** The user entry's name; `<clusterName>-admin` by default. */
  name?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  /** Paths of the client certificate and key, or their PEM text as `*Data` (written base64). */
  clientCertificate?: string;
  clientKey?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
}

export interface WriteKubeconfigOptions {
  clusterName: string;
  /** Every API server URL; the first becomes `server`. */
  servers: string[];
  /** The context's name; the cluster's name by default. */
  contextName?: string;
  user?: KubeconfigUserOptions;
  namespace?: string;
  /** A CA bundle file, or its PEM text (written base64). */
  certificateAuthority?: string;
  certificateAuthorityData?: string;
  insecureSkipTlsVerify?: boolean;
}

const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/** The kubeconfig document for one cluster, user and context. */
export function buildKubeconfig(opts: WriteKubeconfigOptions): Kubeconfig {
  const [first] = opts.servers;
  if (first === undefined) throw new Error('writeKubeconfig: at least one server is needed');
  const cluster: KubeconfigCluster = { server: first };
  if (opts.certificateAuthorityData !== undefined) cluster['certificate-authority-data'] = b64(opts.certificateAuthorityData);
  else if (opts.certificateAuthority !== undefined) cluster['certificate-authority'] = opts.certificateAuthority;
  if (opts.insecureSkipTlsVerify === true) cluster['insecure-skip-tls-verify'] = true;
  cluster.extensions = [{ name: serversExtensionName, extension: { servers: [...opts.servers] } }];

  const u = opts.user ?? {};
  const userName = u.name ?? `${opts.clusterName}-admin`;
  const user: KubeconfigUser = {};
  if (u.token !== undefined) user.token = u.token;
  if (u.tokenFile !== undefined) user.tokenFile = u.tokenFile;
  if (u.username !== undefined) user.username = u.username;
  if (u.password !== undefined) user.password = u.password;
  if (u.clientCertificateData !== undefined) user['client-certificate-data'] = b64(u.clientCertificateData);
  else if (u.clientCertificate !== undefined) user['client-certificate'] = u.clientCertificate;
  if (u.clientKeyData !== undefined) user['client-key-data'] = b64(u.clientKeyData);
  else if (u.clientKey !== undefined) user['client-key'] = u.clientKey;

  const contextName = opts.contextName ?? opts.clusterName;
  const context: Kubeconfig['contexts'][number]['context'] = { cluster: opts.clusterName, user: userName };
  if (opts.namespace !== undefined) context.namespace = opts.namespace;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contextName,
    clusters: [{ name: opts.clusterName, cluster }],
    users: [{ name: userName, user }],
    contexts: [{ name: contextName, context }],
    preferences: {},
  };
}

export function serializeKubeconfig(kc: Kubeconfig): string {
  return YAML.stringify(kc);
}

/** Writes the kubeconfig atomically (temp file + rename), readable by its owner only (0600). */
export function writeKubeconfig(path: string, opts: WriteKubeconfigOptions): Kubeconfig {
  const kc = buildKubeconfig(opts);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, serializeKubeconfig(kc), { mode: 0o600 });
  renameSync(tmp, path);
  return kc;
}
