/**
 * Tree nodes. contextValue grammar (used by package.json `when` clauses):
 *   environment | hogFunctions | hogFunctionType:<type> | hogFunction:<type>:<enabled|disabled>[:backfillable]
 *   hogFunctionDoc:<code|inputs> | groups | groupType[:searching] | group | loadMore | error | message
 */
import type { Group, GroupType, HogFunctionSummary } from '../api/schemas';
import type { FunctionDocKind } from '../model/docPath';
import { environmentKey, type Environment } from '../model/environment';
import type { TypeInfo } from '../model/hogFunctionTypes';

interface Base {
  readonly id: string;
  readonly parent: Node | undefined;
}

export interface EnvironmentNode extends Base {
  kind: 'environment';
  env: Environment;
}
export interface FunctionsNode extends Base {
  kind: 'functions';
  env: Environment;
}
export interface TypeNode extends Base {
  kind: 'type';
  env: Environment;
  info: TypeInfo;
  items: readonly HogFunctionSummary[];
}
export interface FunctionNode extends Base {
  kind: 'function';
  env: Environment;
  fn: HogFunctionSummary;
}
export interface FunctionDocNode extends Base {
  kind: 'functionDoc';
  env: Environment;
  fn: HogFunctionSummary;
  doc: FunctionDocKind;
}
export interface GroupsNode extends Base {
  kind: 'groups';
  env: Environment;
}
export interface GroupTypeNode extends Base {
  kind: 'groupType';
  env: Environment;
  groupType: GroupType;
}
export interface GroupNode extends Base {
  kind: 'group';
  env: Environment;
  groupType: GroupType;
  group: Group;
}
export interface LoadMoreNode extends Base {
  kind: 'loadMore';
  env: Environment;
  groupType: GroupType;
  loaded: number;
}
export interface ErrorNode extends Base {
  kind: 'error';
  message: string;
  detail: string | undefined;
  /** The node whose children failed to load: Retry refreshes it. */
  retry: Node | undefined;
  /** Suggests signing in again (401/403). */
  signIn: boolean;
}
export interface MessageNode extends Base {
  kind: 'message';
  message: string;
}

export type Node = EnvironmentNode | FunctionsNode | TypeNode | FunctionNode | FunctionDocNode | GroupsNode | GroupTypeNode | GroupNode | LoadMoreNode | ErrorNode | MessageNode;

export type NodeOf<K extends Node['kind']> = Extract<Node, { kind: K }>;

export const ids = {
  environment: (env: Environment) => `env:${environmentKey(env)}`,
  functions: (env: Environment) => `${ids.environment(env)}/functions`,
  type: (env: Environment, type: string) => `${ids.functions(env)}/${type}`,
  fn: (env: Environment, id: string) => `${ids.environment(env)}/fn/${id}`,
  groups: (env: Environment) => `${ids.environment(env)}/groups`,
  groupType: (env: Environment, index: number) => `${ids.groups(env)}/${index}`,
  group: (env: Environment, index: number, key: string) => `${ids.groupType(env, index)}/g/${key}`,
};

/** Nodes that carry an environment (everything but messages and errors). */
export function envOf(node: Node | undefined): Environment | undefined {
  return node && 'env' in node ? node.env : undefined;
}
