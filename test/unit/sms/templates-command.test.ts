// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${param} is the providers' placeholder syntax these tests read and write
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** `npm run templates` as a child process: its stdout, stderr and exit code. */
async function templates(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [
      '--import',
      'tsx',
      'functions/local/templates.ts',
      ...args,
    ]);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const registryFile = (edit: (registry: Record<string, any>) => void): string => {
  const registry = JSON.parse(readFileSync('templates/default.json', 'utf8'));
  edit(registry);
  const path = join(mkdtempSync(join(tmpdir(), 'templates-')), 'deployment.json');
  writeFileSync(path, JSON.stringify(registry));
  return path;
};

describe('npm run templates', () => {
  it('prints each template to register: form, code, segments at the maximum, text with ${param}; exits 0', async () => {
    const { stdout, code } = await templates('--deployment', 'default');
    expect(code).toBe(0);
    expect(stdout).toContain('signature 【农牧通】, Tibetan sent as tibetan');
    const lines = stdout.split('\n');
    const join = (form: string) => lines.find((l) => l.startsWith(`join.ok\t${form}\t`));
    expect(join('en')).toMatch(
      /^join\.ok\ten\tSMS_EN_\d+\t\d+ segments?\tRegistered in \$\{region\}\. Text HELP for the commands\.\$\{more\}$/,
    );
    expect(join('zh')).toContain('${region}');
    expect(join('bo')).toContain('${region}');
    expect(join('wylie')).toMatch(/\$\{region\}/);
    // a sign-in code: one segment even at its longest
    expect(lines.find((l) => l.startsWith('auth.code\tzh\t'))).toMatch(/\t1 segment\t/);
  });

  it('exits 1 naming every sendable key without a template', async () => {
    const file = registryFile((r) => {
      delete r.templates['price.head'];
      delete r.templates['exchange.relay'];
    });
    const { stderr, code } = await templates('--file', file);
    expect(code).toBe(1);
    expect(stderr).toContain('no template for 2 sendable key(s): price.head, exchange.relay');
  });

  it('counts the broadcast free text as missing where there is no general notice', async () => {
    const { stderr, code } = await templates(
      '--file',
      registryFile((r) => (r.generalNotice = null)),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('no template for 1 sendable key(s): broadcast.text');
  });

  it('exits 1 when a registered text differs from the locales', async () => {
    const file = registryFile((r) => (r.templates['join.ok'].text.en = 'Registered: ${region}.${more}'));
    const { stderr, code } = await templates('--file', file);
    expect(code).toBe(1);
    expect(stderr).toContain('changed in the locales: join.ok (en)');
  });

  it('refuses a bad registry file, saying what is wrong', async () => {
    const { stderr, code } = await templates(
      '--file',
      registryFile((r) => (r.tibetanScript = 'latin')),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/is not valid:\n {2}tibetanScript:/);
  });
});
