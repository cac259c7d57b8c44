import { functionLink, groupLink, projectLink } from '../model/links';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickFunction } from './pick';
import { openExternal } from './support';

/** Opens the node's page in PostHog's web app (the function, group or project). */
export async function openInPostHog(s: Services, node?: Node): Promise<void> {
  let url: string;
  if (node?.kind === 'environment') url = projectLink(node.env.host, node.env.projectId);
  else if (node?.kind === 'group') url = groupLink(node.env.host, node.env.projectId, node.group.group_type_index, node.group.group_key);
  else {
    const { env, fn } = await pickFunction(s, node, { title: 'Open which hog function in PostHog?' });
    url = functionLink(env.host, env.projectId, fn.id);
  }
  await openExternal(s, url);
}
