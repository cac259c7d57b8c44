/**
 * Composition root: builds the services once, registers providers and commands, and returns the
 * test API. No logic lives here.
 */
import * as vscode from 'vscode';
import { KeyStore } from './auth/keyStore';
import { registerCommands } from './commands/index';
import { SCHEME, Settings } from './constants';
import { PostHogFileSystem } from './fs/posthogFileSystem';
import { SaveFeedback } from './fs/saveFeedback';
import { LazyHogLanguage } from './language/lazy';
import { RunCodeLens } from './run/codeLens';
import { HealthWatcher } from './run/healthWatcher';
import { RunResults } from './run/results';
import { ClientPool } from './services/clients';
import { EnvironmentRegistry } from './services/environments';
import { GroupStore } from './services/groupStore';
import { FunctionMetrics } from './services/functionMetrics';
import { HogFunctionStore } from './services/hogFunctionStore';
import type { Services } from './commands/services';
import { ExplorerProvider } from './tree/explorerProvider';
import { Log } from './util/log';

/** Returned from activate(); integration tests use it (nothing else should depend on it). */
export interface ExtensionApi {
  readonly services: Services;
  /** The conflict actions (Compare / Overwrite) as the notification runs them. */
  readonly saveFeedback: SaveFeedback;
  /** Resolves once Hog diagnostics were computed for a document version. */
  readonly hogDiagnosticsReady: LazyHogLanguage['hogDiagnosticsReady'];
  /** Every publication of Hog diagnostics (one per checked document version). */
  readonly onDidComputeHogDiagnostics: LazyHogLanguage['onDidComputeHogDiagnostics'];
  /** The Hog language features, loaded when the first Hog document opens. */
  readonly language: LazyHogLanguage;
}

/** performance.now() when the bundle began and finished evaluating (esbuild.mjs); absent in tsc builds. */
declare const __posthogBundleStart: number | undefined;
declare const __posthogBundleEnd: number | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const activateStart = performance.now();
  const version = (context.extension.packageJSON as { version?: unknown }).version;
  const log = new Log();
  const keys = new KeyStore(context.secrets);
  const clients = new ClientPool(keys, log, `posthog-hog-vscode/${typeof version === 'string' ? version : '0'} (VS Code ${vscode.version})`);
  const registry = new EnvironmentRegistry(context.globalState, keys, clients, log);
  const store = new HogFunctionStore(clients, log);
  const groups = new GroupStore(clients, log);
  const fs = new PostHogFileSystem({
    registry,
    clients,
    store,
    groups,
    log,
    state: context.workspaceState,
    deployOnAutoSave: () => vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.deployOnAutoSave, false),
    extensionPath: context.extensionPath,
  });
  const metrics = new FunctionMetrics(clients);
  const explorer = new ExplorerProvider({ registry, store, groups, log, metrics });
  const runs = new RunResults();
  const services: Services = {
    log,
    keys,
    clients,
    registry,
    store,
    groups,
    fs,
    explorer,
    runs,
    metrics,
    extensionPath: context.extensionPath,
    workspaceState: context.workspaceState,
  };
  const saveFeedback = new SaveFeedback(fs, log);
  const language = new LazyHogLanguage(context, {
    log: (m) => {
      log.trace('hog', m);
    },
    inputsSchemaFor: (uri) => Promise.resolve(fs.schemaForCode(uri)),
    functionTypeFor: (uri) => fs.typeForCode(uri),
  });

  context.subscriptions.push(
    log,
    keys,
    clients,
    registry,
    store,
    groups,
    fs,
    explorer,
    vscode.workspace.registerFileSystemProvider(SCHEME, fs, { isCaseSensitive: true }),
    saveFeedback,
    runs,
    vscode.languages.registerCodeLensProvider(RunCodeLens.selector, new RunCodeLens(runs)),
    new HealthWatcher(store),
    ...registerCommands(services, context.extensionPath),
    language,
  );
  void registry.updateContext();
  log.info('extension', `activated (VS Code ${vscode.version}, ${vscode.env.appHost})${activationTiming(activateStart)}`);
  return { services, saveFeedback, language, hogDiagnosticsReady: language.hogDiagnosticsReady, onDidComputeHogDiagnostics: language.onDidComputeHogDiagnostics };
}

/**
 * "bundle evaluated in A ms, host ready B ms later, activate() C ms, load began at epoch ms D": how long
 * activation took, split into our bundle's evaluation, the extension host's own wait before calling
 * activate() (it prepares the context's storage meanwhile) and activate() itself.
 */
function activationTiming(activateStart: number): string {
  const now = performance.now();
  const parts = [`activate() ${(now - activateStart).toFixed(1)} ms`];
  if (typeof __posthogBundleStart === 'number' && typeof __posthogBundleEnd === 'number') {
    parts.unshift(`bundle evaluated in ${(__posthogBundleEnd - __posthogBundleStart).toFixed(1)} ms`, `host ready ${(activateStart - __posthogBundleEnd).toFixed(1)} ms later`);
    // Epoch milliseconds, not an ISO date: the first Date formatting loads the time zone (~1 ms).
    parts.push(`load began at epoch ms ${Math.round(Date.now() - (now - __posthogBundleStart))}`);
  }
  return `: ${parts.join(', ')}`;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
