// Ports found free can be taken by another process before ours binds them (test files run in
// parallel): a start that failed on a taken port starts over on other ports, up to 3 times.
const portTaken = (e: unknown) => /address already in use|EADDRINUSE/.test((e as Error).message);

export async function retryOnTakenPort<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (e) {
      if (attempt >= 3 || !portTaken(e)) throw e;
    }
  }
}
