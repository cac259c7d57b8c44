import type { KeyStore } from '../auth/keyStore';
import type { PostHogFileSystem } from '../fs/posthogFileSystem';
import type { ExplorerProvider } from '../tree/explorerProvider';
import type { Log } from '../util/log';
import type { ClientPool } from '../services/clients';
import type { EnvironmentRegistry } from '../services/environments';
import type { GroupStore } from '../services/groupStore';
import type { HogFunctionStore } from '../services/hogFunctionStore';
import type { RunResults } from '../run/results';
import type { FunctionMetrics } from '../services/functionMetrics';
import type * as vscode from 'vscode';

/** Everything a command needs, built once by the composition root (extension.ts). */
export interface Services {
  readonly log: Log;
  readonly keys: KeyStore;
  readonly clients: ClientPool;
  readonly registry: EnvironmentRegistry;
  readonly store: HogFunctionStore;
  readonly groups: GroupStore;
  readonly fs: PostHogFileSystem;
  readonly explorer: ExplorerProvider;
  /** Local runs: result documents and runtime diagnostics. */
  readonly runs: RunResults;
  /** Invocation counts per function (tree tooltips, status item, hover). */
  readonly metrics: FunctionMetrics;
  readonly extensionPath: string;
  readonly workspaceState: vscode.Memento;
}
