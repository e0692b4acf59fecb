// The kubeconfig file format (clientcmd/api/v1), as kubectl reads and writes it. Keys are
// spelled as in the file; fields kubets does not use are kept so a rewrite loses nothing.

/** The name of the cluster extension in which kubets lists every API server URL. */
export const serversExtensionName = 'kubets.io/servers';

export interface NamedExtension {
  name: string;
  extension: unknown;
}

export interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
  extensions?: NamedExtension[];
  [key: string]: unknown;
}

export interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  exec?: unknown;
  'auth-provider'?: unknown;
  [key: string]: unknown;
}

export interface KubeconfigContext {
  cluster: string;
  user?: string;
  namespace?: string;
  extensions?: NamedExtension[];
  [key: string]: unknown;
}

export interface Kubeconfig {
  apiVersion?: string;
  kind?: string;
  'current-context'?: string;
  clusters: { name: string; cluster: KubeconfigCluster }[];
  users: { name: string; user: KubeconfigUser }[];
  contexts: { name: string; context: KubeconfigContext }[];
  preferences?: Record<string, unknown>;
  extensions?: NamedExtension[];
}
