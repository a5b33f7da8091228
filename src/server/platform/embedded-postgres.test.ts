import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('embedded PostgreSQL module', () => {
  // The package's exit hook once turned every exit code into 0, so failed tests passed CI.
  it('leaves the exit code of a process that loads it alone', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        "await import('./src/server/platform/embedded-postgres.ts'); process.exitCode = 3;",
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(3);
  });
});
