/** Deep links into PostHog's web app (pure). */

export function projectLink(host: string, projectId: number): string {
  return `${host}/project/${projectId}`;
}

export function functionLink(host: string, projectId: number, functionId: string): string {
  return `${projectLink(host, projectId)}/functions/${encodeURIComponent(functionId)}`;
}

export function groupLink(host: string, projectId: number, groupTypeIndex: number, groupKey: string): string {
  return `${projectLink(host, projectId)}/groups/${groupTypeIndex}/${encodeURIComponent(groupKey)}`;
}

export function batchExportLink(host: string, projectId: number, batchExportId: string): string {
  return `${projectLink(host, projectId)}/batch_exports/${encodeURIComponent(batchExportId)}`;
}
