// The two messages of grpc.health.v1.Health/Check, hand-encoded: HealthCheckRequest has one field
// (1: service, a string), HealthCheckResponse one (1: status, an enum). Each travels in a gRPC
// length-prefixed frame: a compression flag byte (0: none) and a 4-byte big-endian length.

/** HealthCheckResponse.ServingStatus, by number. */
export const servingStatusNames: readonly string[] = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
export const servingStatusServing = 1;

/** gRPC status codes, by number, with the names grpc-go prints. */
export const grpcCodeNames: readonly string[] = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];
export const grpcCodeDeadlineExceeded = 4;
export const grpcCodeUnimplemented = 12;

function encodeVarint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

/** Reads a varint at offset; returns its value and the offset after it. */
function decodeVarint(buf: Buffer, offset: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = offset; i < buf.length && i < offset + 10; i++) {
    value += (buf[i]! & 0x7f) * scale;
    scale *= 128;
    if ((buf[i]! & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new Error('truncated varint');
}

export function grpcFrame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** A whole gRPC frame carrying HealthCheckRequest{service}; the empty name means the whole server. */
export function encodeHealthCheckRequest(service: string): Buffer {
  if (service === '') return grpcFrame(Buffer.alloc(0));
  const name = Buffer.from(service, 'utf8');
  return grpcFrame(Buffer.concat([Buffer.from([0x0a]), encodeVarint(name.length), name]));
}

/** The status of the HealthCheckResponse in the first frame of body; UNKNOWN (0) when the field is absent. */
export function decodeHealthCheckResponse(body: Buffer): number {
  if (body.length < 5) throw new Error('response message missing');
  if (body[0] !== 0) throw new Error('compressed response not supported');
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) throw new Error('response message truncated');
  const message = body.subarray(5, 5 + length);
  let status = 0;
  for (let offset = 0; offset < message.length; ) {
    const tag = decodeVarint(message, offset);
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value & 7;
    offset = skipOrRead(message, tag.next, wireType, (v) => {
      if (field === 1) status = v;
    });
  }
  return status;
}

/** Moves past one field's value (calling onVarint for varints); returns the offset after it. */
function skipOrRead(message: Buffer, offset: number, wireType: number, onVarint: (v: number) => void): number {
  switch (wireType) {
    case 0: {
      const v = decodeVarint(message, offset);
      onVarint(v.value);
      return v.next;
    }
    case 1:
      return offset + 8;
    case 2: {
      const len = decodeVarint(message, offset);
      return len.next + len.value;
    }
    case 5:
      return offset + 4;
    default:
      throw new Error(`unsupported wire type ${wireType}`);
  }
}
