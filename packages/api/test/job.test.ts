// batch/v1 Job: upstream's defaults, the generated selector's labels, and what validation and
// update validation refuse.
import t from 'tap';
import { jobLabels, resolveResource, validateObject, validateUpdate } from '../src/index.js';

const jobs = resolveResource('jobs')!;
const uid = '1f1e1d1c-0000-4000-8000-000000000001';

/** A Job as the server holds it after generating its selector (the API server's job strategy does that). */
function job(spec: any = {}, meta: any = {}) {
  return {
    metadata: { name: 'pi', namespace: 'default', uid, ...meta },
    spec: {
      selector: { matchLabels: { [jobLabels.controllerUid]: uid } },
      template: {
        metadata: { labels: { [jobLabels.controllerUid]: uid, [jobLabels.jobName]: 'pi', [jobLabels.legacyControllerUid]: uid, [jobLabels.legacyJobName]: 'pi' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'busybox' }] },
      },
      ...spec,
    },
  };
}

function problems(obj: any): string[] {
  jobs.applyDefaults(obj);
  return validateObject(jobs, obj).map((e) => `${e.field}:${e.type}`);
}

t.test('a Job without counts gets parallelism 1, completions 1 and upstream\'s other defaults', async (t) => {
  const j: any = job();
  jobs.applyDefaults(j);
  t.match(j.spec, { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, manualSelector: false, podReplacementPolicy: 'TerminatingOrFailed' });
  t.equal(j.spec.template.spec.terminationGracePeriodSeconds, 30, 'the template gets pod defaults');
  t.same(j.metadata.labels, j.spec.template.metadata.labels, 'a Job without labels takes its template\'s');
});

t.test('completions stay unset when only parallelism is given; backoffLimit is unlimited per index', async (t) => {
  const j: any = job({ parallelism: 3 });
  jobs.applyDefaults(j);
  t.equal(j.spec.completions, undefined);
  t.equal(j.spec.parallelism, 3);
  const indexed: any = job({ completionMode: 'Indexed', completions: 4, backoffLimitPerIndex: 1 });
  jobs.applyDefaults(indexed);
  t.equal(indexed.spec.backoffLimit, 2_147_483_647);
});

t.test('a Job with its generated selector and labels is valid', async (t) => {
  t.same(problems(job()), []);
});

t.test('the pod template must run to completion: restartPolicy OnFailure or Never', async (t) => {
  const j: any = job();
  delete j.spec.template.spec.restartPolicy;
  t.same(problems(j), ['spec.template.spec.restartPolicy:FieldValueNotSupported'], 'Always, the pod default, is refused');
  t.same(problems(job({ template: { ...job().spec.template, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'a', image: 'b' }] } } })), []);
});

t.test('counts may not be negative', async (t) => {
  t.same(problems(job({ parallelism: -1, completions: -1, backoffLimit: -1 })).sort(), [
    'spec.backoffLimit:FieldValueInvalid', 'spec.completions:FieldValueInvalid', 'spec.parallelism:FieldValueInvalid',
  ]);
  const j: any = job();
  j.status = { active: -1 };
  t.same(problems(j), ['status.active:FieldValueInvalid']);
});

t.test('Indexed completion needs completions; unknown modes and replacement policies are refused', async (t) => {
  t.same(problems(job({ completionMode: 'Indexed', parallelism: 2 })), ['spec.completions:FieldValueRequired']);
  t.same(problems(job({ completionMode: 'Sometimes' })), ['spec.completionMode:FieldValueNotSupported']);
  t.same(problems(job({ podReplacementPolicy: 'Never' })), ['spec.podReplacementPolicy:FieldValueNotSupported']);
});

t.test('the selector must match the template labels, and be the generated one unless manualSelector', async (t) => {
  const manual = job({ manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } } });
  t.same(problems(manual), ['spec.template.metadata.labels:FieldValueInvalid']);
  const matching: any = structuredClone(manual);
  matching.spec.template.metadata.labels.app = 'x';
  t.same(problems(matching), [], 'a manual selector that matches is the client\'s business');
  const stolen = job({ selector: { matchLabels: { [jobLabels.controllerUid]: 'someone-else' } } });
  t.ok(problems(stolen).includes('spec.selector:FieldValueInvalid'), 'a selector not generated for this Job is refused');
  const unlabelled: any = job();
  delete unlabelled.spec.template.metadata.labels[jobLabels.legacyJobName];
  t.ok(problems(unlabelled).includes('spec.template.metadata.labels[job-name]:FieldValueRequired'));
});

t.test('selector, template, completionMode and completions are immutable', async (t) => {
  const old: any = job();
  jobs.applyDefaults(old);
  const next: any = structuredClone(old);
  next.spec.template.spec.containers[0].image = 'alpine';
  next.spec.completionMode = 'Indexed';
  next.spec.completions = 5;
  next.spec.selector.matchLabels.extra = 'x';
  t.same(validateUpdate('jobs', next, old).map((e) => e.field).sort(), ['spec.completionMode', 'spec.completions', 'spec.selector', 'spec.template']);
  const scaled: any = structuredClone(old);
  scaled.spec.parallelism = 4;
  scaled.spec.suspend = true;
  t.same(validateUpdate('jobs', scaled, old), [], 'parallelism and suspend may change');
});

t.test('a suspended Job that never started may change its scheduling directives, nothing else of its template', async (t) => {
  const old: any = job({ suspend: true });
  jobs.applyDefaults(old);
  const next: any = structuredClone(old);
  next.spec.template.spec.nodeSelector = { zone: 'a' };
  next.spec.template.metadata.annotations = { note: 'x' };
  t.same(validateUpdate('jobs', next, old), []);
  const started: any = structuredClone(old);
  started.status = { startTime: '2024-01-01T00:00:00Z' };
  t.same(validateUpdate('jobs', next, started).map((e) => e.field), ['spec.template'], 'not once it has started');
  next.spec.template.spec.containers[0].image = 'alpine';
  t.same(validateUpdate('jobs', next, old).map((e) => e.field), ['spec.template']);
});
