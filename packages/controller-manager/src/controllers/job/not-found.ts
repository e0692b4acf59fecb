// A read or write of something that may already be gone: NotFound means there is nothing
// left to do, any other error is the caller's.

import { isNotFound } from '@kubets/client';

/** The call's result, or undefined when the object was not found. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
