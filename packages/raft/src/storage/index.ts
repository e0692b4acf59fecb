// The storage adapter: a CRC-checked, group-committed write-ahead log plus atomic snapshot files.
export {
  DiskStorage,
  seedLogStorage,
  type DiskStorageOptions,
  type LogStorageTarget,
  type RecoveredState,
  type SaveOptions,
  type StorageStats,
} from './disk-storage.js';
export { CodecError, CorruptionError, StorageFailedError } from './errors.js';
export { nodeFs, type StorageFile, type StorageFs } from './fs.js';
export { MemoryDisk, type CrashOptions, type MemoryDiskOptions } from './memory-fs.js';
export { noopLogger, type Logger, type LogFn } from './logger.js';
export { crc32c } from './crc32c.js';
export * from './codec.js';
