import * as vscode from 'vscode';
import { SCHEME } from '../constants';
import { codeFileName, functionDocPath, groupDocPath, parseDocPath, type DocRef, type FunctionDocKind } from '../model/docPath';
import { isLoopback, normaliseHost, type Environment } from '../model/environment';
import { typeInfo } from '../model/hogFunctionTypes';

/**
 * URIs of `posthog:` documents. The authority is the PostHog host (`us.posthog.com`, `127.0.0.1:8010`),
 * the path carries project and resource ids (model/docPath.ts), so a URI alone is enough to fetch the
 * document again after a window reload.
 */

export function functionUri(env: Environment, fn: { id: string; name?: string | null; type?: string | null }, kind: FunctionDocKind): vscode.Uri {
  const fileName = kind === 'code' ? codeFileName(fn.name, typeInfo(fn.type).codeLanguage) : undefined;
  return vscode.Uri.from({ scheme: SCHEME, authority: authorityOf(env.host), path: functionDocPath(env.projectId, fn.id, kind, fileName) });
}

export function groupUri(env: Environment, groupTypeIndex: number, groupKey: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, authority: authorityOf(env.host), path: groupDocPath(env.projectId, groupTypeIndex, groupKey) });
}

export function authorityOf(host: string): string {
  return new URL(host).host;
}

export interface ResolvedUri {
  host: string;
  ref: DocRef;
}

/**
 * Resolves a URI to its host and document. `knownHost` maps an authority to a configured host (which
 * may carry a path prefix); otherwise https is assumed, or http for loopback (the local stand-in).
 */
export function resolveUri(uri: vscode.Uri, knownHost: (authority: string) => string | undefined): ResolvedUri | undefined {
  if (uri.scheme !== SCHEME || !uri.authority) return undefined;
  const ref = parseDocPath(uri.path);
  if (!ref) return undefined;
  const hostname = uri.authority.replace(/:\d+$/, '');
  const host = knownHost(uri.authority) ?? `${isLoopback(hostname) ? 'http' : 'https'}://${uri.authority}`;
  return { host: normaliseHost(host), ref };
}

/** Which of a function's documents `uri` is (code, inputs, filters), or undefined if it is none of them. */
export function functionDocKind(uri: vscode.Uri, env: Environment, functionId: string): FunctionDocKind | undefined {
  if (uri.scheme !== SCHEME || uri.authority !== authorityOf(env.host)) return undefined;
  const ref = parseDocPath(uri.path);
  if (!ref || (ref.kind !== 'code' && ref.kind !== 'inputs' && ref.kind !== 'filters')) return undefined;
  return ref.projectId === env.projectId && ref.functionId === functionId ? ref.kind : undefined;
}

export function sameDocument(a: vscode.Uri, b: vscode.Uri): boolean {
  if (a.scheme !== b.scheme || a.authority !== b.authority) return false;
  const ra = parseDocPath(a.path);
  const rb = parseDocPath(b.path);
  return !!ra && !!rb && JSON.stringify(ra) === JSON.stringify(rb);
}
