/**
 * The command handlers: one bundle (dist/commands.js) loaded at the first command, so activation does
 * not pay for them (see ./index.ts).
 */
import { Commands, type CommandId } from '../constants';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { addEnvironment } from './addEnvironment';
import { clearFunctionFilter } from './clearFunctionFilter';
import { clearGroupSearch } from './clearGroupSearch';
import { copyId } from './copyId';
import { deleteFunction } from './deleteFunction';
import { deleteGroupProperty } from './deleteGroupProperty';
import { disableFunction } from './disableFunction';
import { enableBackfills } from './enableBackfills';
import { enableFunction } from './enableFunction';
import { filterFunctions } from './filterFunctions';
import { loadMoreGroups } from './loadMoreGroups';
import { newHogFunction } from './newHogFunction';
import { openCode } from './openCode';
import { openFilters } from './openFilters';
import { openGroup } from './openGroup';
import { openInPostHog } from './openInPostHog';
import { openInputs } from './openInputs';
import { refresh } from './refresh';
import { refreshEnvironment } from './refreshEnvironment';
import { removeEnvironment } from './removeEnvironment';
import { renameFunction } from './renameFunction';
import { retryNode } from './retryNode';
import { runLocally } from './runLocally';
import { runLocallyWithRequests } from './runLocallyWithRequests';
import { reportErrors } from './errorBoundary';
import { searchGroups } from './searchGroups';
import { testFunction } from './testFunction';
import { testFunctionWithRequests } from './testFunctionWithRequests';
import { setSecretValue } from './setSecretValue';
import { showLog } from './showLog';
import { showFunctionLogs } from './showFunctionLogs';
import { filterFunctionLogs } from './filterFunctionLogs';
import { searchFunctionLogs } from './searchFunctionLogs';
import { loadOlderFunctionLogs } from './loadOlderFunctionLogs';
import { showRelated } from './showRelated';
import { signIn } from './signIn';
import { signOut } from './signOut';
import { updateGroupProperty } from './updateGroupProperty';
import { reviewDraft } from './reviewDraft';
import { publishDraft } from './publishDraft';
import { discardDraft } from './discardDraft';
import { compareRevision } from './compareRevision';
import { restoreRevision } from './restoreRevision';
import { refreshRevisions } from './refreshRevisions';
import { loadMoreRevisions } from './loadMoreRevisions';
import { copyToEnvironment } from './copyToEnvironment';
import { pullToWorkspace } from './pullToWorkspace';
import { pushToPostHog } from './pushToPostHog';

export { attachDocumentFeatures } from '../run/documentFeatures';

/** `arg` is what the command was called with when it is not a tree node (a document URI from a CodeLens). */
type Handler = (s: Services, node?: Node, arg?: unknown) => Promise<void>;

/** The id → handler table: a full record, so a command id without a handler does not compile. */
const handlers: Record<CommandId, Handler> = {
  [Commands.signIn]: signIn,
  [Commands.signOut]: signOut,
  [Commands.addEnvironment]: addEnvironment,
  [Commands.removeEnvironment]: removeEnvironment,
  [Commands.refresh]: refresh,
  [Commands.refreshEnvironment]: refreshEnvironment,
  [Commands.retryNode]: retryNode,
  [Commands.filterFunctions]: filterFunctions,
  [Commands.clearFunctionFilter]: clearFunctionFilter,
  [Commands.searchGroups]: searchGroups,
  [Commands.clearGroupSearch]: clearGroupSearch,
  [Commands.loadMoreGroups]: loadMoreGroups,
  [Commands.openCode]: openCode,
  [Commands.openInputs]: openInputs,
  [Commands.openFilters]: openFilters,
  [Commands.openInPostHog]: openInPostHog,
  [Commands.copyId]: copyId,
  [Commands.setSecretValue]: setSecretValue,
  [Commands.enableBackfills]: enableBackfills,
  [Commands.newHogFunction]: newHogFunction,
  [Commands.enableFunction]: enableFunction,
  [Commands.disableFunction]: disableFunction,
  [Commands.deleteFunction]: deleteFunction,
  [Commands.renameFunction]: renameFunction,
  [Commands.openGroup]: openGroup,
  [Commands.updateGroupProperty]: updateGroupProperty,
  [Commands.deleteGroupProperty]: deleteGroupProperty,
  [Commands.showRelated]: showRelated,
  [Commands.showLog]: showLog,
  [Commands.runLocally]: runLocally,
  [Commands.runLocallyWithRequests]: runLocallyWithRequests,
  [Commands.testFunction]: testFunction,
  [Commands.testFunctionWithRequests]: testFunctionWithRequests,
  [Commands.showFunctionLogs]: showFunctionLogs,
  [Commands.filterFunctionLogs]: filterFunctionLogs,
  [Commands.searchFunctionLogs]: searchFunctionLogs,
  [Commands.loadOlderFunctionLogs]: loadOlderFunctionLogs,
  [Commands.reviewDraft]: reviewDraft,
  [Commands.publishDraft]: publishDraft,
  [Commands.discardDraft]: discardDraft,
  [Commands.compareRevision]: compareRevision,
  [Commands.restoreRevision]: restoreRevision,
  [Commands.refreshRevisions]: refreshRevisions,
  [Commands.loadMoreRevisions]: loadMoreRevisions,
  [Commands.copyToEnvironment]: copyToEnvironment,
  [Commands.pullToWorkspace]: pullToWorkspace,
  [Commands.pushToPostHog]: pushToPostHog,
};

/** Runs a command inside the central error boundary (the extension registers it lazily: commands/index.ts). */
export function runCommand(id: CommandId, s: Services, node?: unknown): Promise<void> {
  const handler = handlers[id];
  return reportErrors(s.log, id, () => (isNode(node) ? handler(s, node) : handler(s, undefined, node)));
}

/** Commands get tree nodes from menus, or nothing/other values from the palette and keybindings. */
function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && 'kind' in v && 'id' in v;
}
