// The test suite calls `app.inject`, whose `light-my-request` require()s `cookie@2`, an ES module:
// Node can do that from 20.19 on the 20 line and from 22.12 on the 22 line. Older versions fail deep
// inside a test with ERR_REQUIRE_ESM; say so up front instead.

/** Why this Node cannot run the suite, or null when it can. */
export function unsupportedNodeReason(version: string, requireModule: boolean | undefined): string | null {
  if (requireModule === true) return null;
  return `Node ${version} cannot require() ES modules, which the tests need (cookie@2 through light-my-request): use Node 20.19+ or 22.12+ (package.json "engines").`;
}
