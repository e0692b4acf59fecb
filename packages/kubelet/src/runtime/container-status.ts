// A container record as the CRI's ContainerStatus shows it.
import type { ContainerRecord } from './records.js';
import type { ContainerStatus } from './types.js';

export function containerStatusOf(record: ContainerRecord): ContainerStatus {
  const { config } = record;
  return {
    id: record.id,
    sandboxId: record.sandboxId,
    name: config.name,
    attempt: config.attempt,
    state: record.state,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    ...(record.exitCode !== undefined && { exitCode: record.exitCode }),
    ...(record.signal !== undefined && { signal: record.signal }),
    ...(record.reason !== undefined && { reason: record.reason }),
    ...(record.message !== undefined && { message: record.message }),
    image: config.image,
    imageRef: record.imageRef,
    logPath: record.logPath,
    ...(record.state === 'running' && record.leader !== undefined && { pid: record.leader.pid }),
    labels: config.labels,
    annotations: config.annotations,
  };
}
