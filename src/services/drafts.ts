/**
 * Drafts and revisions of hog functions: the writes (publish, discard, restore) and their reads. Loaded
 * with the commands bundle. Every write hands PostHog's answer to the function store, which updates the
 * tree (the "draft" badge), the open documents and every other listener.
 */
import { changesApi, noDraftsSupport, type PublishResult, type Revision } from '../api/changes';
import type { HogFunction } from '../api/schemas';
import type { Environment } from '../model/environment';
import type { Log } from '../util/log';
import type { ClientPool } from './clients';
import type { HogFunctionStore } from './hogFunctionStore';

/**
 * A 404 on these paths: the function was deleted meanwhile, or the server predates drafts and revisions
 * (PostHog added them in 2026-09) — the answer cannot tell which, so the sentence says both.
 */
async function explained<T>(what: string, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (e) {
    if (noDraftsSupport(e)) {
      throw new Error(`PostHog answered "not found" for ${what}: the function was deleted, or this PostHog version has no drafts and revisions yet (added in September 2026).`, {
        cause: e,
      });
    }
    throw e;
  }
}

export class DraftService {
  constructor(
    private readonly clients: Pick<ClientPool, 'get'>,
    private readonly store: Pick<HogFunctionStore, 'put' | 'fetch'>,
    private readonly log: Pick<Log, 'info'>,
  ) {}

  /** What a publish would change and the token that confirms it. Changes nothing. */
  preview(env: Environment, id: string): Promise<PublishResult> {
    return explained('the publish preview', changesApi.previewPublish(this.clients.get(env.host), env.projectId, id));
  }

  async publish(env: Environment, id: string, confirmToken: string): Promise<HogFunction> {
    const result = await explained('the publish', changesApi.publishDraft(this.clients.get(env.host), env.projectId, id, confirmToken));
    const fn = result.function ?? (await this.store.fetch(env, id));
    this.log.info('store', `published the draft of ${id} (${env.name}): version ${String(fn.version ?? '?')}, updated_at ${fn.updated_at}`);
    this.store.put(env, fn);
    return fn;
  }

  async discard(env: Environment, id: string): Promise<HogFunction> {
    const fn = await explained('the draft', changesApi.discardDraft(this.clients.get(env.host), env.projectId, id));
    this.log.info('store', `discarded the draft of ${id} (${env.name})`);
    this.store.put(env, fn);
    return fn;
  }

  /** Stages revision `version` as the draft (PostHog never restores live); `overwrite` replaces an open draft. */
  async restore(env: Environment, id: string, version: number, overwrite: boolean): Promise<HogFunction> {
    const fn = await explained(`revision ${version}`, changesApi.restoreRevision(this.clients.get(env.host), env.projectId, id, version, overwrite));
    this.log.info('store', `restored revision ${version} of ${id} (${env.name}) into the draft`);
    this.store.put(env, fn);
    return fn;
  }

  revisions(env: Environment, id: string, offset: number, limit = 20): Promise<{ items: Revision[]; more: boolean }> {
    return explained('the revisions', changesApi.revisions(this.clients.get(env.host), env.projectId, id, { limit, offset }));
  }

  revision(env: Environment, id: string, version: number): Promise<Revision> {
    return explained(`revision ${version}`, changesApi.revision(this.clients.get(env.host), env.projectId, id, version));
  }
}
