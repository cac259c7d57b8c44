/**
 * Every identifier the extension shares with package.json or with VS Code: command ids, view ids,
 * context keys, the URI scheme, settings and storage keys. package.json must use exactly these strings;
 * test/integration/contributions.test.ts checks that both sides agree.
 */

export const EXTENSION_ID = 'posthog-hog-tools.posthog-hog';

/** URI scheme of the virtual documents (hog function code, inputs, groups). */
export const SCHEME = 'posthog';
/** Read-only snapshots of remote versions, shown on the left of a conflict diff. */
export const REMOTE_SCHEME = 'posthog-remote';
/** Read-only results of local runs ("PostHog: Run Locally"), one document per function. */
export const RUN_SCHEME = 'posthog-run';

export const LANGUAGE_ID = 'hog';

export const Commands = {
  signIn: 'posthogHog.signIn',
  signOut: 'posthogHog.signOut',
  addEnvironment: 'posthogHog.addEnvironment',
  removeEnvironment: 'posthogHog.removeEnvironment',
  refresh: 'posthogHog.refresh',
  refreshEnvironment: 'posthogHog.refreshEnvironment',
  retryNode: 'posthogHog.retryNode',
  filterFunctions: 'posthogHog.filterFunctions',
  clearFunctionFilter: 'posthogHog.clearFunctionFilter',
  searchGroups: 'posthogHog.searchGroups',
  clearGroupSearch: 'posthogHog.clearGroupSearch',
  loadMoreGroups: 'posthogHog.loadMoreGroups',
  openCode: 'posthogHog.openCode',
  openInputs: 'posthogHog.openInputs',
  openFilters: 'posthogHog.openFilters',
  openInPostHog: 'posthogHog.openInPostHog',
  copyId: 'posthogHog.copyId',
  setSecretValue: 'posthogHog.setSecretValue',
  enableBackfills: 'posthogHog.enableBackfills',
  newHogFunction: 'posthogHog.newHogFunction',
  enableFunction: 'posthogHog.enableFunction',
  disableFunction: 'posthogHog.disableFunction',
  deleteFunction: 'posthogHog.deleteFunction',
  renameFunction: 'posthogHog.renameFunction',
  openGroup: 'posthogHog.openGroup',
  updateGroupProperty: 'posthogHog.updateGroupProperty',
  deleteGroupProperty: 'posthogHog.deleteGroupProperty',
  showRelated: 'posthogHog.showRelated',
  showLog: 'posthogHog.showLog',
  runLocally: 'posthogHog.runLocally',
  runLocallyWithRequests: 'posthogHog.runLocallyWithRequests',
  testFunction: 'posthogHog.testFunction',
  testFunctionWithRequests: 'posthogHog.testFunctionWithRequests',
  showFunctionLogs: 'posthogHog.showFunctionLogs',
  filterFunctionLogs: 'posthogHog.filterFunctionLogs',
  searchFunctionLogs: 'posthogHog.searchFunctionLogs',
  loadOlderFunctionLogs: 'posthogHog.loadOlderFunctionLogs',
  reviewDraft: 'posthogHog.reviewDraft',
  publishDraft: 'posthogHog.publishDraft',
  discardDraft: 'posthogHog.discardDraft',
  compareRevision: 'posthogHog.compareRevision',
  restoreRevision: 'posthogHog.restoreRevision',
  refreshRevisions: 'posthogHog.refreshRevisions',
  loadMoreRevisions: 'posthogHog.loadMoreRevisions',
  copyToEnvironment: 'posthogHog.copyToEnvironment',
  pullToWorkspace: 'posthogHog.pullToWorkspace',
  pushToPostHog: 'posthogHog.pushToPostHog',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'posthogHog',
  explorer: 'posthogHog.explorer',
  /** The revisions of the function in the active editor (Explorer container; PostHog's Timeline). */
  revisions: 'posthogHog.revisions',
} as const;

export const ContextKeys = {
  /** true once at least one environment is configured (or the POSTHOG_PERSONAL_API_KEY route applies). */
  hasEnvironments: 'posthogHog.hasEnvironments',
  /** true while a hog function filter is active (shows the clear-filter button). */
  hasFunctionFilter: 'posthogHog.hasFunctionFilter',
  /** true once a function document was shown and its features (status item, revisions view) are loaded. */
  documentFeatures: 'posthogHog.documentFeatures',
} as const;

export const Settings = {
  section: 'posthogHog',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  maxRetries: 'maxRetries',
  defaultHost: 'defaultHost',
  diagnosticsEnabled: 'diagnostics.enabled',
  diagnosticsDebounceMs: 'diagnostics.debounceMs',
  deployOnAutoSave: 'deployOnAutoSave',
  runOnType: 'runLocally.onType',
  runTimeoutSeconds: 'runLocally.timeoutSeconds',
} as const;

export const StorageKeys = {
  /** globalState: the environments shown in the tree (host + project id + name). Never secrets. */
  environments: 'posthogHog.environments',
  /** globalState: hosts for which the auto-save warning was already shown. */
  /** workspaceState: per document URI, the `updated_at` it was read at (conflict detection across reloads). */
  readBases: 'posthogHog.readBases',
  /** workspaceState: per group document URI, the properties it was read as. */
  groupBases: 'posthogHog.groupBases',
  /** workspaceState: per function, where the globals of its last local run came from (a fixture path or the example). */
  runGlobals: 'posthogHog.runGlobals',
  /** SecretStorage key prefix; the host's origin follows. */
  secretPrefix: 'posthogHog.apiKey:',
} as const;

/** Environment variables the extension reads (PostHog's own docs use these names). */
export const EnvVars = {
  apiKey: 'POSTHOG_PERSONAL_API_KEY',
  host: 'POSTHOG_HOST',
} as const;

export const Hosts = {
  us: 'https://us.posthog.com',
  eu: 'https://eu.posthog.com',
} as const;
