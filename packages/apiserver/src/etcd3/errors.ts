// etcd's errors as the JSON gateway reports them ({"error","message","code"} with a gRPC code),
// and which of them mean "try another member".

export class EtcdError extends Error {
  constructor(
    message: string,
    readonly grpcCode: number,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = 'EtcdError';
  }

  get compacted(): boolean {
    return this.message.includes('required revision has been compacted');
  }

  get futureRevision(): boolean {
    return this.message.includes('required revision is a future revision');
  }

  /** Unavailable (14), no leader, or timeouts: another member may answer. */
  get retryable(): boolean {
    return this.grpcCode === 14 || this.httpStatus === 503 || /no leader|leader changed|timed out|too many requests/i.test(this.message);
  }
}

export class EtcdUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EtcdUnreachableError';
  }
}
