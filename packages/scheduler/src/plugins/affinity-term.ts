// A pod's inter-pod (anti-)affinity terms, parsed once per pod object, as upstream's
// framework.AffinityTerm and the term lists of framework.PodInfo. Pods in a snapshot are
// never mutated, so parsing is cached by object identity.

import type { NodeInfo } from '../framework/node-info.js';
import type { Pod, PodAffinityTerm, Snapshot, WeightedPodAffinityTerm } from '../framework/types.js';
import { type LabelMatcher, type Labels, parseLabelSelector } from './label-selector.js';

export interface AffinityTerm {
  /** The namespaces named by the term (the pod's own when it names none and has no namespaceSelector). */
  readonly namespaces: ReadonlySet<string>;
  readonly namespaceSelector: LabelMatcher;
  readonly selector: LabelMatcher;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm {
  readonly term: AffinityTerm;
  readonly weight: number;
}

export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  /** One message per list dropped for an invalid selector in one of its terms, as upstream's NewPodInfo. */
  readonly errors: readonly string[];
}

/** A pod's namespace; the API always sets one, tests may not. */
export const namespaceOf = (pod: Pod): string => pod.metadata.namespace ?? 'default';

const parsedTerms = new WeakMap<Pod, PodAffinityTerms>();

export function affinityTermsOf(pod: Pod): PodAffinityTerms {
  let terms = parsedTerms.get(pod);
  if (terms === undefined) {
    terms = parseAffinityTerms(pod);
    parsedTerms.set(pod, terms);
  }
  return terms;
}

/**
 * Upstream AffinityTerm.Matches: `pod` is in one of the term's namespaces, or in one its
 * namespaceSelector selects, and its labels match the term's selector. `namespaceLabels` are the
 * labels of the pod's namespace, undefined for a namespace we do not know: only the empty
 * selector selects it, as upstream's namespace lister would not list it.
 */
export function termMatches(term: AffinityTerm, pod: Pod, namespaceLabels: Labels | undefined): boolean {
  const inNamespace =
    term.namespaces.has(namespaceOf(pod)) ||
    term.namespaceSelector.isEmpty() ||
    (namespaceLabels !== undefined && term.namespaceSelector.matches(namespaceLabels));
  return inNamespace && term.selector.matches(pod.metadata.labels);
}

/** The pod's term errors as upstream's utilerrors.NewAggregate prints them; undefined when it has none. */
export function parseErrors(terms: PodAffinityTerms): string | undefined {
  const { errors } = terms;
  if (errors.length === 0) return undefined;
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

/** The nodes where some pod has (anti-)affinity terms: only their pods can have terms about another pod. */
export function nodesWithAffinityPods(snapshot: Snapshot): readonly NodeInfo[] {
  return snapshot.nodesWithAffinityPods ?? snapshot.nodes.filter((n) => n.podsWithAffinity.size > 0);
}

/** Labels of a namespace, read from the snapshot once per namespace and cycle. */
export function namespaceLabelsReader(snapshot: Snapshot): (namespace: string) => Labels | undefined {
  const seen = new Map<string, Labels | undefined>();
  return (namespace) => {
    if (!seen.has(namespace)) seen.set(namespace, snapshot.namespaceLabels?.(namespace));
    return seen.get(namespace);
  };
}

function parseAffinityTerms(pod: Pod): PodAffinityTerms {
  const { podAffinity, podAntiAffinity } = pod.spec.affinity ?? {};
  const errors: string[] = [];
  const required = (name: string, terms: PodAffinityTerm[] | undefined) => parseList(name, terms, (t) => parseTerm(pod, t), errors);
  const preferred = (name: string, terms: WeightedPodAffinityTerm[] | undefined) =>
    parseList(name, terms, (w) => withWeight(parseTerm(pod, w.podAffinityTerm), w.weight), errors);
  return {
    requiredAffinity: required('requiredAffinityTerms', podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: required('requiredAntiAffinityTerms', podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: preferred('preferredAffinityTerms', podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: preferred('preferredAntiAffinityTerms', podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    errors,
  };
}

type Parsed<T> = T | { error: string };

/** Every term of a list, or none with an error when one is invalid (upstream drops the whole list). */
function parseList<I, T extends object>(name: string, items: I[] | undefined, parse: (item: I) => Parsed<T>, errors: string[]): T[] {
  const out: T[] = [];
  for (const item of items ?? []) {
    const parsed = parse(item);
    if ('error' in parsed) {
      errors.push(`${name}: ${parsed.error}`);
      return [];
    }
    out.push(parsed);
  }
  return out;
}

function withWeight(parsed: Parsed<AffinityTerm>, weight: number): Parsed<WeightedAffinityTerm> {
  return 'error' in parsed ? parsed : { term: parsed, weight };
}

function parseTerm(pod: Pod, term: PodAffinityTerm): Parsed<AffinityTerm> {
  const selector = parseLabelSelector(withLabelKeys(term, pod.metadata.labels ?? {}));
  if ('error' in selector) return selector;
  const namespaceSelector = parseLabelSelector(term.namespaceSelector);
  if ('error' in namespaceSelector) return namespaceSelector;
  const ownNamespace = (term.namespaces ?? []).length === 0 && term.namespaceSelector === undefined;
  return {
    namespaces: new Set(ownNamespace ? [namespaceOf(pod)] : term.namespaces),
    namespaceSelector: namespaceSelector.matcher,
    selector: selector.matcher,
    topologyKey: term.topologyKey,
  };
}

/**
 * The term's selector with matchLabelKeys (`key In (the pod's value)`) and mismatchLabelKeys
 * (`key NotIn (the pod's value)`) folded in. Upstream's API server does this when it creates the
 * pod and the scheduler reads the result; ours does not, so we fold them here. Doing it twice
 * selects the same pods.
 */
function withLabelKeys(term: PodAffinityTerm, podLabels: Labels): PodAffinityTerm['labelSelector'] {
  const selector = term.labelSelector;
  if (selector === undefined) return undefined;
  const present = (keys: string[] | undefined) => (keys ?? []).filter((key) => Object.hasOwn(podLabels, key));
  const extra = [
    ...present(term.matchLabelKeys).map((key) => ({ key, operator: 'In' as const, values: [podLabels[key]!] })),
    ...present(term.mismatchLabelKeys).map((key) => ({ key, operator: 'NotIn' as const, values: [podLabels[key]!] })),
  ];
  return extra.length === 0 ? selector : { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
}
