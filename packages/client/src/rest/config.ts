// What a client needs to reach the API servers, whatever it was loaded from (a kubeconfig,
// flags, a test): the server URLs, TLS material, credentials and a default namespace.

export interface TlsConfig {
  /** PEM of the CA bundle that signs the servers' certificates. */
  ca?: string;
  /** PEM client certificate and key, for client-certificate authentication. */
  cert?: string;
  key?: string;
  /** Do not check the server's certificate (kubeconfig's insecure-skip-tls-verify). */
  insecureSkipTlsVerify?: boolean;
  /** The name to check the server's certificate against, when it differs from the URL's host. */
  serverName?: string;
}

export interface AuthConfig {
  /** A bearer token. */
  token?: string;
  /** A file holding a bearer token, re-read now and then (tokens there get rotated). */
  tokenFile?: string;
  /** HTTP basic authentication. */
  username?: string;
  password?: string;
}

export interface ClientConfig {
  /** API server base URLs (`https://10.0.0.1:6443`), tried in order, failing over to the next. */
  servers: string[];
  tls?: TlsConfig;
  auth?: AuthConfig;
  /** The namespace to use when a caller does not name one (the kubeconfig context's). */
  namespace?: string;
}
