// The arguments of NodeResourcesFit and NodeResourcesBalancedAllocation as upstream's
// KubeSchedulerConfiguration takes them, with upstream's defaults and validation: a profile that
// is wrong is refused when the plugin is made, not discovered while scheduling.

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface ResourceSpec {
  name: string;
  weight: number;
}

/** A point of the RequestedToCapacityRatio curve: utilization 0..100 (%), score 0..10. */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

export interface ScoringStrategy {
  type: ScoringStrategyType;
  resources: ResourceSpec[];
  requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
}

export interface NodeResourcesFitArgs {
  /** Extended resources Filter does not check (another component accounts for them). */
  ignoredResources?: string[];
  /** Groups of extended resources (the part before '/') Filter does not check. */
  ignoredResourceGroups?: string[];
  scoringStrategy?: Partial<ScoringStrategy>;
}

export interface NodeResourcesBalancedAllocationArgs {
  resources?: ResourceSpec[];
}

export const maxCustomPriorityScore = 10;

/** Upstream's defaultResourceSpec: cpu and memory, weight 1 each. */
export const defaultResources = (): ResourceSpec[] => [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

const scoringStrategyTypes: readonly string[] = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

/** No resources: the default pair; a weight left at 0: 1 (SetDefaults_NodeResourcesFitArgs and ..BalancedAllocationArgs). */
const withDefaultWeights = (resources: ResourceSpec[] | undefined): ResourceSpec[] =>
  resources === undefined || resources.length === 0 ? defaultResources() : resources.map((r) => ({ ...r, weight: r.weight || 1 }));

function shapeErrors(shape: UtilizationShapePoint[] | undefined): string[] {
  if (shape === undefined || shape.length === 0) return ['scoringStrategy.shape: Required value: at least one point must be specified'];
  const errors: string[] = [];
  const unsorted = shape.findIndex((p, i) => i > 0 && (shape[i - 1] as UtilizationShapePoint).utilization >= p.utilization);
  if (unsorted > 0) errors.push(`scoringStrategy.shape[${unsorted}].utilization: values must be sorted in increasing order`);
  shape.forEach((p, i) => {
    if (p.utilization < 0 || p.utilization > 100) errors.push(`scoringStrategy.shape[${i}].utilization: not in valid range [0, 100]`);
    if (p.score < 0 || p.score > maxCustomPriorityScore) errors.push(`scoringStrategy.shape[${i}].score: not in valid range [0, ${maxCustomPriorityScore}]`);
  });
  return errors;
}

function strategyErrors(s: ScoringStrategy): string[] {
  const errors: string[] = [];
  if (!scoringStrategyTypes.includes(s.type)) errors.push(`scoringStrategy.type: Unsupported value: "${s.type ?? ''}"`);
  s.resources.forEach((r, i) => {
    if (r.weight <= 0 || r.weight > 100) errors.push(`scoringStrategy.resources[${i}].weight: resource weight of ${r.name} not in valid range (0, 100]`);
  });
  if (s.type === 'RequestedToCapacityRatio' || s.requestedToCapacityRatio !== undefined) errors.push(...shapeErrors(s.requestedToCapacityRatio?.shape));
  return errors;
}

function refuse(kind: string, errors: string[]): void {
  if (errors.length > 0) throw new Error(`${kind}: ${errors.join('; ')}`);
}

/** NodeResourcesFitArgs with defaults filled in; throws on a configuration upstream would refuse. */
export function fitArgsWithDefaults(args: NodeResourcesFitArgs = {}): Required<NodeResourcesFitArgs> & { scoringStrategy: ScoringStrategy } {
  const given = args.scoringStrategy;
  const scoringStrategy: ScoringStrategy = {
    ...given,
    type: given === undefined ? 'LeastAllocated' : (given.type as ScoringStrategyType),
    resources: withDefaultWeights(given?.resources),
  };
  const groups = args.ignoredResourceGroups ?? [];
  const groupErrors = groups.filter((g) => g.includes('/')).map((g) => `ignoredResourceGroups: "${g}": resource group name can't contain '/'`);
  refuse('NodeResourcesFitArgs', [...groupErrors, ...strategyErrors(scoringStrategy)]);
  return { ignoredResources: args.ignoredResources ?? [], ignoredResourceGroups: groups, scoringStrategy };
}

/** NodeResourcesBalancedAllocationArgs with defaults filled in; every weight must be 1 and names distinct. */
export function balancedAllocationArgsWithDefaults(args: NodeResourcesBalancedAllocationArgs = {}): ResourceSpec[] {
  const resources = withDefaultWeights(args.resources);
  const errors = resources.flatMap((r, i) => [
    ...(resources.findIndex((o) => o.name === r.name) < i ? [`resources[${i}].name: Duplicate value: "${r.name}"`] : []),
    ...(r.weight !== 1 ? [`resources[${i}].weight: must be 1`] : []),
  ]);
  refuse('NodeResourcesBalancedAllocationArgs', errors);
  return resources;
}
