// The httpGet probe (upstream's pkg/probe/http DoHTTPProbe): 200-399 is success, a redirect to
// another host that was not followed is a warning (success, with an Event), anything else fails.
// A response's body is the output on success; on failure only the status code is reported, as
// upstream keeps response bodies out of Events.
import { HttpGetError, httpGet, type HttpGetRequest } from './http-get.js';
import type { ProbeRun } from './probe-outcome.js';

export async function probeHttpGet(request: HttpGetRequest): Promise<ProbeRun> {
  let statusCode: number;
  let body: string;
  let redirectNotFollowed: boolean;
  try {
    ({ statusCode, body, redirectNotFollowed } = await httpGet(request));
  } catch (err) {
    // Every failure to get an answer, timeouts included, is a probe failure.
    if (err instanceof HttpGetError) return { outcome: 'failure', output: err.message };
    throw err;
  }
  if (statusCode < 200 || statusCode >= 400) return { outcome: 'failure', output: `HTTP probe failed with statuscode: ${statusCode}` };
  if (statusCode >= 300 || redirectNotFollowed) return { outcome: 'warning', output: `Probe terminated redirects, Response body: ${body}` };
  return { outcome: 'success', output: body };
}
