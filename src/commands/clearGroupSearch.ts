import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickEnvironment, pickGroupType } from './pick';

export async function clearGroupSearch(s: Services, node?: Node): Promise<void> {
  const env = await pickEnvironment(s, node);
  const groupType = await pickGroupType(s, env, node);
  s.groups.setSearch(env, groupType.group_type_index, undefined);
}
