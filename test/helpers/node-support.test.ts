import { describe, expect, it } from 'vitest';
import { unsupportedNodeReason } from './node-support';

describe('the Node versions the suite runs on', () => {
  it('accepts a Node that can require() ES modules and names the versions when it cannot', () => {
    expect(unsupportedNodeReason('v20.19.0', true)).toBeNull();
    expect(unsupportedNodeReason('v20.18.1', undefined)).toMatch(
      /Node v20\.18\.1 cannot require\(\) ES modules.*20\.19\+ or 22\.12\+/,
    );
    expect(unsupportedNodeReason('v22.11.0', false)).toMatch(/v22\.11\.0/); // --no-experimental-require-module
    // This machine's Node runs the suite, so it must pass the check the global setup makes.
    expect(unsupportedNodeReason(process.version, process.features.require_module)).toBeNull();
  });
});
