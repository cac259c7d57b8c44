/**
 * Where a folder goes when it is pushed, decided against PostHog: an update of the function it was
 * pulled from (only the changed fields, conditional on the version it was pulled at), an update of the
 * same-named function in another environment, or a create there (a copy). Plain Node: the command line
 * and the extension's Push command share it; the extension then writes through its store.
 */
import type { PostHogClient } from '../api/client';
import { asPostHogError } from '../api/errors';
import type { HogFunction } from '../api/schemas';
import { normaliseHost } from '../model/environment';
import { planPush, secretMarkers, type LocalFunction, type PushPlan } from './folder';

export interface PushEnvironment {
  host: string;
  projectId: number;
}

export type PushTarget =
  /** The function the folder names, in the environment it was pulled from. */
  | { kind: 'update'; remote: HogFunction; plan: PushPlan; base: string; conflict: string | undefined }
  /** Another environment already has a function of this name and type. */
  | { kind: 'same-name'; remote: HogFunction; plan: PushPlan }
  /** Nothing to update: a create (a copy when the folder came from elsewhere). */
  | { kind: 'create'; secretsToAsk: string[] };

/** Whether the folder was pulled from `env` (same host and project) and names a function there. */
export function pulledFrom(local: LocalFunction, env: PushEnvironment): boolean {
  const from = local.meta.environment;
  return local.meta.id !== null && from !== null && normaliseHost(from.host) === normaliseHost(env.host) && from.project_id === env.projectId;
}

/**
 * The target of a push of `local` to `env`. For the function the folder was pulled from: a conflict
 * (sentence) when PostHog's content changed since the pull — its `version` moved (or, on servers without
 * versions, its `updated_at`) — unless PostHog already holds exactly the folder's content.
 */
export async function resolvePushTarget(client: PostHogClient, env: PushEnvironment, local: LocalFunction, signal?: AbortSignal): Promise<PushTarget> {
  if (pulledFrom(local, env) && local.meta.id !== null) {
    let remote: HogFunction | undefined;
    try {
      remote = await client.getHogFunction(env.projectId, local.meta.id, signal);
    } catch (e) {
      if (!asPostHogError(e)?.isNotFound) throw e;
      throw new Error(`The function ${local.meta.id} ("${local.meta.name}") no longer exists in PostHog (deleted?). Remove "id" from function.json to create it again.`);
    }
    const plan = planPush(local, remote, env);
    const pulled = local.meta.pulled;
    const unchanged = pulled === null ? false : remote.updated_at === pulled.updated_at || (pulled.version !== null && remote.version === pulled.version);
    const conflict =
      unchanged || plan.changed.length === 0
        ? undefined
        : pulled === null
          ? 'function.json does not say which version the files were pulled at, so a push could overwrite changes made in PostHog.'
          : `The function changed in PostHog since these files were pulled (${pulled.version !== null && remote.version !== null && remote.version !== undefined ? `version ${pulled.version} → ${remote.version}` : `updated ${pulled.updated_at} → ${remote.updated_at}`}).`;
    // Content unchanged since the pull: send against the current version (metadata-only saves and
    // PostHog's own background re-saves move `updated_at` without touching the content).
    return { kind: 'update', remote, plan, base: unchanged ? remote.updated_at : (pulled?.updated_at ?? remote.updated_at), conflict };
  }
  const same = await findByName(client, env, local, signal);
  if (same) return { kind: 'same-name', remote: same, plan: planPush(local, same, env, { copy: true }) };
  return { kind: 'create', secretsToAsk: secretMarkers(local.inputs) };
}

/** A function of the same name and type in `env` (the copy's counterpart), if there is one. */
export async function findByName(client: PostHogClient, env: PushEnvironment, local: LocalFunction, signal?: AbortSignal): Promise<HogFunction | undefined> {
  if (!local.meta.name) return undefined;
  const found = await client.listHogFunctions(env.projectId, { types: [local.meta.type], search: local.meta.name }, signal);
  const match = found.find((f) => f.name === local.meta.name && (f.type ?? 'destination') === local.meta.type);
  return match ? client.getHogFunction(env.projectId, match.id, signal) : undefined;
}
