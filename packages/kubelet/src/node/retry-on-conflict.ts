// client-go's retry.RetryOnConflict in small: a write that lost a race (409 Conflict) is tried
// again at once, up to `attempts` times; any other failure goes straight to the caller.
import { isConflict } from '@kubets/client';

export async function retryOnConflict<T>(attempts: number, write: () => Promise<T>, beforeRetry?: () => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (!isConflict(e) || attempt >= attempts) throw e;
      beforeRetry?.();
    }
  }
}
