// Why a probe could not be run at all (upstream: the probe "errored", as opposed to failed). The
// worker throws such a result away instead of counting it against the thresholds.

export type ProbeErrorReason =
  /** The port is neither a number in 1-65535 nor the name of one of the container's ports. */
  | 'InvalidPort'
  /** The probe names none of exec, httpGet, tcpSocket or grpc. */
  | 'MissingHandler'
  /** The runtime could not run the command (the container is gone, for one). */
  | 'ExecFailed';

export class ProbeError extends Error {
  constructor(
    readonly reason: ProbeErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}
