/**
 * Stands in for the `whatwg-url` package inside the bundle. node-fetch 2 only falls back to it when
 * Node has no `URL` (never on Node ≥ 10), yet bundling it costs ~300 KB (tr46's mapping table) on
 * every activation. esbuild.mjs aliases `whatwg-url` to this module.
 */
export const URL = globalThis.URL;
export default { URL };
