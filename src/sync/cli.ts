/**
 * `node dist/hog.js pull|diff|push …` (`npm run hog -- …`): hog functions as folders of files, headless,
 * for CI. The key comes from POSTHOG_PERSONAL_API_KEY, never from a file or an argument; the host from
 * POSTHOG_HOST (default https://us.posthog.com); the project from POSTHOG_PROJECT_ID (pull), or from each
 * folder's function.json (diff, push — POSTHOG_PROJECT_ID/POSTHOG_HOST there push to another environment:
 * a copy).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { PostHogClient } from '../api/client';
import { asPostHogError, isStaleUpdate } from '../api/errors';
import type { HogFunction } from '../api/schemas';
import { apiHostFromEnv, normaliseHost } from '../model/environment';
import {
  createBody,
  FolderError,
  filesToFunction,
  filesWithKeys,
  folderNames,
  functionToFiles,
  idInMeta,
  META_FILE,
  MAPPINGS_FILE,
  type FolderFiles,
  type LocalFunction,
  type PushPlan,
} from './folder';
import { resolvePushTarget, type PushEnvironment } from './push';

export const SYNC_USAGE = `  pull [--id ID]… [--type TYPE]… [--out DIR]
           write each hog function of POSTHOG_PROJECT_ID as a folder in DIR (default .): function.hog,
           inputs.json (secrets as {"secret": true}), filters.json, mappings.json, function.json
  diff DIR…  what a push would change, as a unified diff per file; exit 1 when there are changes
  push DIR… [--force] [--create-new] [--enabled]
           send each folder's changed fields (one PATCH, conditional on the version it was pulled at;
           --force overwrites changes made in PostHog since). To another environment (POSTHOG_HOST /
           POSTHOG_PROJECT_ID differ from function.json): updates the function of the same name, or with
           --create-new (or when there is none) creates it, disabled unless --enabled; secret inputs are
           left unset there and listed.
  DIR may be a function's folder or a folder of them. Environment: POSTHOG_PERSONAL_API_KEY (required),
  POSTHOG_HOST (default https://us.posthog.com), POSTHOG_PROJECT_ID.`;

export const SYNC_COMMANDS = ['pull', 'diff', 'push'];

interface SyncArgs {
  command: string;
  dirs: string[];
  ids: string[];
  types: string[];
  out: string;
  force: boolean;
  createNew: boolean;
  enabled: boolean;
}

type Print = (s: string) => void;

function parse(argv: readonly string[]): SyncArgs | string {
  const [command = '', ...rest] = argv;
  const args: SyncArgs = { command, dirs: [], ids: [], types: [], out: '.', force: false, createNew: false, enabled: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--id') args.ids.push(value());
      else if (a === '--type') args.types.push(value());
      else if (a === '--out') args.out = value();
      else if (a === '--force') args.force = true;
      else if (a === '--create-new') args.createNew = true;
      else if (a === '--enabled') args.enabled = true;
      else if (a.startsWith('--')) return `unknown option ${a}`;
      else args.dirs.push(a);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
  if (command === 'pull' && args.dirs.length > 0) return 'pull takes no folders: use --out DIR';
  if (command !== 'pull' && args.dirs.length === 0) return `${command} needs at least one folder`;
  return args;
}

/** Runs a sync command; resolves to the exit code (0 ok, 1 failure or — for diff — changes, 2 usage). */
export async function syncMain(argv: readonly string[], out: Print, err: Print, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') {
    err(args);
    err(`usage:\n${SYNC_USAGE}`);
    return 2;
  }
  const key = env.POSTHOG_PERSONAL_API_KEY?.trim();
  if (!key) {
    err('POSTHOG_PERSONAL_API_KEY is not set: create a personal API key in PostHog (hog_function:read, hog_function:write) and export it.');
    return 2;
  }
  const host = env.POSTHOG_HOST ? apiHostFromEnv(env.POSTHOG_HOST) : 'https://us.posthog.com';
  if (host === undefined) {
    err(`POSTHOG_HOST is not a URL: ${env.POSTHOG_HOST ?? ''}`);
    return 2;
  }
  const projectText = env.POSTHOG_PROJECT_ID?.trim();
  const projectId = projectText ? Number(projectText) : undefined;
  if (projectId !== undefined && !(Number.isInteger(projectId) && projectId > 0)) {
    err(`POSTHOG_PROJECT_ID must be a project id (a number), not "${projectText ?? ''}".`);
    return 2;
  }
  const clients = new Map<string, PostHogClient>();
  const client = (h: string): PostHogClient => {
    const k = normaliseHost(h);
    let c = clients.get(k);
    if (!c) {
      c = new PostHogClient({ host: k, apiKey: () => key, userAgent: 'posthog-hog-cli' });
      clients.set(k, c);
    }
    return c;
  };
  try {
    if (args.command === 'pull') {
      if (projectId === undefined) {
        err('pull needs POSTHOG_PROJECT_ID (the number in your PostHog URL: /project/<id>/).');
        return 2;
      }
      return await pull(client(host), { host, projectId }, args, out, err);
    }
    const explicitTarget = projectId !== undefined ? { host, projectId } : undefined;
    let status = 0;
    for (const dir of functionFolders(args.dirs, err)) {
      const code = await syncFolder(dir, args, explicitTarget, client, out, err);
      status = Math.max(status, code);
    }
    return status;
  } catch (e) {
    err(asPostHogError(e)?.message ?? (e instanceof Error ? e.message : String(e)));
    return 1;
  }
}

async function pull(client: PostHogClient, env: PushEnvironment, args: SyncArgs, out: Print, err: Print): Promise<number> {
  const summaries = await client.listHogFunctions(env.projectId, { types: args.types });
  const wanted = args.ids.length > 0 ? summaries.filter((f) => args.ids.includes(f.id)) : summaries;
  const missing = args.ids.filter((id) => !summaries.some((f) => f.id === id));
  if (missing.length > 0) throw new Error(`No hog function ${missing.join(', ')} in project ${env.projectId}.`);
  fs.mkdirSync(args.out, { recursive: true });
  const existing = existingFolders(args.out);
  const full: HogFunction[] = [];
  for (const s of wanted) full.push(await client.getHogFunction(env.projectId, s.id));
  const names = folderNames(full, existing);
  let written = 0;
  let refused = 0;
  for (const fn of full) {
    const dir = path.join(args.out, names.get(fn.id) ?? fn.id);
    const files = functionToFiles(fn, env);
    const withKeys = filesWithKeys(files);
    if (withKeys.length > 0) {
      err(
        `${fn.name ?? fn.id}: not written: its ${withKeys.join(', ')} would hold what looks like a PostHog API key (phx_…/phs_…). Move it into a secret input in PostHog, then pull again.`,
      );
      refused++;
      continue;
    }
    written += writeFolder(dir, files);
  }
  out(`Pulled ${full.length - refused} function${full.length - refused === 1 ? '' : 's'} into ${args.out} (${written} file${written === 1 ? '' : 's'} changed).`);
  return refused > 0 ? 1 : 0;
}

/** id → folder name of the functions already pulled into `root`. */
function existingFolders(root: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const meta = path.join(root, entry.name, META_FILE);
    if (!fs.existsSync(meta)) continue;
    const id = idInMeta(fs.readFileSync(meta, 'utf8'));
    if (id !== undefined) found.set(id, entry.name);
  }
  return found;
}

/** Writes the files that differ (and removes a mappings.json the function no longer has); returns how many. */
function writeFolder(dir: string, files: FolderFiles): number {
  fs.mkdirSync(dir, { recursive: true });
  let changed = 0;
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
    fs.writeFileSync(file, text);
    changed++;
  }
  const mappings = path.join(dir, MAPPINGS_FILE);
  if (files[MAPPINGS_FILE] === undefined && fs.existsSync(mappings)) {
    fs.rmSync(mappings);
    changed++;
  }
  return changed;
}

/** The function folders under the given paths: each path itself when it has a function.json, else its subfolders that do. */
function functionFolders(dirs: readonly string[], err: Print): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    if (fs.existsSync(path.join(dir, META_FILE))) {
      found.push(dir);
      continue;
    }
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir}: no such folder.`);
    const subs = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, META_FILE)))
      .map((e) => path.join(dir, e.name))
      .sort();
    if (subs.length === 0) err(`${dir}: no function folders (folders with a function.json) here.`);
    found.push(...subs);
  }
  return found;
}

/** Every regular file of a function folder (for the key check) — at most 1 MB each. */
function readFolder(dir: string): FolderFiles {
  const files: FolderFiles = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(dir, entry.name);
    if (fs.statSync(file).size > 1024 * 1024) continue;
    files[entry.name] = fs.readFileSync(file, 'utf8');
  }
  return files;
}

async function syncFolder(dir: string, args: SyncArgs, explicit: PushEnvironment | undefined, client: (host: string) => PostHogClient, out: Print, err: Print): Promise<number> {
  const files = readFolder(dir);
  const withKeys = filesWithKeys(files);
  if (withKeys.length > 0) {
    err(
      `${dir}: refusing to ${args.command}: ${withKeys.join(', ')} contain${withKeys.length === 1 ? 's' : ''} what looks like a PostHog API key (phx_…/phs_…). Keys never belong in files: remove it and rotate the key.`,
    );
    return 1;
  }
  let local: LocalFunction;
  try {
    local = filesToFunction(files);
  } catch (e) {
    if (!(e instanceof FolderError)) throw e;
    for (const p of e.problems) err(`${path.join(dir, p.file)}: ${p.message}`);
    return 1;
  }
  const from = local.meta.environment;
  const target = explicit ?? (from ? { host: normaliseHost(from.host), projectId: from.project_id } : undefined);
  if (!target) {
    err(`${dir}: function.json names no environment; set POSTHOG_PROJECT_ID (and POSTHOG_HOST) to say where it goes.`);
    return 1;
  }
  const c = client(target.host);
  const where = `${target.host} project ${target.projectId}`;
  const resolved = await resolvePushTarget(c, target, local);
  if (resolved.kind === 'create' || (resolved.kind === 'same-name' && args.createNew)) {
    const secrets = resolved.kind === 'create' ? resolved.secretsToAsk : [];
    if (args.command === 'diff') {
      out(`${dir}: would create "${local.meta.name}" (${local.meta.type}) in ${where}.`);
      return 1;
    }
    const created = await c.createHogFunction(target.projectId, createBody(local, { enabled: args.enabled && local.meta.enabled, secrets: {} }));
    out(`${dir}: created "${created.name ?? created.id}" (${created.id}) in ${where}${created.enabled ? '' : ', disabled'}.`);
    if (secrets.length > 0) {
      err(`${dir}: secret input${secrets.length === 1 ? '' : 's'} ${secrets.join(', ')} left unset there (secrets are never in files): set them in PostHog or with the extension.`);
    }
    return 0;
  }
  const plan: PushPlan = resolved.plan;
  if (plan.changed.length === 0) {
    out(`${dir}: up to date with "${resolved.remote.name ?? resolved.remote.id}" in ${where}.`);
    return 0;
  }
  for (const f of plan.files) out(createTwoFilesPatch(`a/${f.file}`, `b/${f.file}`, f.remote, f.local, `PostHog (${where})`, dir).replace(/^=+\n/, ''));
  if (args.command === 'diff') return 1;
  if (resolved.kind === 'update' && resolved.conflict && !args.force) {
    err(`${dir}: not pushed. ${resolved.conflict} Pull again and redo your change, or push with --force to overwrite.`);
    return 1;
  }
  const base = resolved.kind === 'update' && !args.force ? resolved.base : resolved.remote.updated_at;
  let saved: HogFunction;
  try {
    saved = await c.updateHogFunction(target.projectId, resolved.remote.id, { ...plan.patch, base_updated_at: base });
  } catch (e) {
    if (!isStaleUpdate(e)) throw e;
    err(`${dir}: not pushed: the function changed in PostHog a moment ago. Run diff again.`);
    return 1;
  }
  out(`${dir}: pushed ${plan.changed.join(', ')} to "${saved.name ?? saved.id}" in ${where}.`);
  if (resolved.kind === 'update') {
    // The next push is made against this version: function.json records it (nothing else is rewritten).
    const meta = functionToFiles(saved, target)[META_FILE];
    if (meta !== undefined) fs.writeFileSync(path.join(dir, META_FILE), meta);
  }
  return 0;
}
