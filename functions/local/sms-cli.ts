/**
 * `npm run sms -- +8613800000000 "HELP"`: one SMS into the inbound pipeline, its replies printed.
 *
 * With `npm start` running (on PORT, default 3000) the message goes to its POST /dev/sms, so
 * it lands in that server's store; a server without developer tools (one that serves a LAN)
 * is reported, with what to do instead. With nothing listening there the local stack is booted in
 * this process on DATA_DIR (same settings as `npm start`), the message runs through the same
 * pipeline, and the stack is closed again.
 */
import { randomUUID } from 'node:crypto';
import { ConfigError, type LocalConfig, loadConfig } from '#config';
import { toE164 } from '#core/phone.ts';
import type { DeliveryStatus } from '#core/sms/messages.ts';
import { AlreadyRunningError } from './lock.ts';
import { startLocalStack } from './stack.ts';

const USAGE = `usage: npm run sms -- [--id=<gateway message id>] [--json] <phone> <text…>

  Sends one SMS "from" <phone> into Zhingdrok's inbound pipeline and prints the replies.
  Uses the server of npm start on PORT (default 3000) if one is listening; otherwise runs
  the pipeline in this process on DATA_DIR (default .data). A server that serves a LAN has
  no developer tools: stop it first (the SMS then runs here, on the same DATA_DIR).

  --id=<id>  the gateway's message id: the same id again changes nothing and gets no reply
  --json     print {"replies": [...]} as POST /dev/sms answers it

examples:
  npm run sms -- +8613800000000 HELP
  npm run sms -- 13800000000 "注册 江孜"
  npm run sms -- +8613800000000 ཐོ་འགོད རྒྱལ་རྩེ`;

interface Reply {
  to: string;
  text: string;
  encoding: string;
  segments: number;
}

class UsageError extends Error {}

/** The server answers, but has no POST /dev/sms: it serves a LAN (or DEV_TOOLS=off). */
class NoDevToolsError extends Error {
  constructor(url: string) {
    super(
      [
        `the server at ${url} has no developer tools: POST /dev/sms is a 404 there.`,
        'A server that listens on the network (HOST=0.0.0.0 or a LAN address) never has them, nor one started with DEV_TOOLS=off,',
        'so an SMS cannot be typed into it from here. Either stop that server and run this again (the SMS then runs in this',
        'process on DATA_DIR, the same data), or start the server on loopback only (HOST=127.0.0.1, DEV_TOOLS unset).',
      ].join('\n  '),
    );
  }
}

function parseArgs(argv: string[]): { from: string; text: string; id?: string; json: boolean } {
  let id: string | undefined;
  let json = false;
  const rest: string[] = [];
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg === '--json') json = true;
    else if (arg.startsWith('--id=')) id = arg.slice('--id='.length);
    else if (arg.startsWith('--') && rest.length === 0) throw new UsageError(`unknown option ${arg}`);
    else rest.push(arg);
  }
  const [phone, ...words] = rest;
  if (!phone) throw new UsageError('missing <phone> and <text>');
  const from = toE164(phone);
  if (!from)
    throw new UsageError(`"${phone}" is not a phone number (E.164, e.g. +8613800000000, or a mainland number)`);
  // An empty text is a real SMS (it gets the help reply), but it must be asked for: "".
  if (words.length === 0) throw new UsageError('missing <text> (quote it; "" sends an empty SMS)');
  if (id !== undefined && (id.length === 0 || id.length > 200)) throw new UsageError('--id must be 1–200 characters');
  return { from, text: words.join(' '), id, json };
}

function printReplies(replies: Reply[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ replies })}\n`);
    return;
  }
  if (replies.length === 0) process.stdout.write('(no reply)\n');
  for (const r of replies) {
    process.stdout.write(
      `→ ${r.to}  [${r.encoding}, ${r.segments} segment${r.segments === 1 ? '' : 's'}]\n${r.text}\n`,
    );
  }
}

/** The server's answer, or undefined when nothing listens on the port. */
async function viaServer(url: string, body: { from: string; text: string; id?: string }): Promise<Reply[] | undefined> {
  let res: Response;
  try {
    res = await fetch(`${url}/dev/sms`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') return undefined;
    throw new Error(`could not reach ${url}: ${(err as Error).message}${code ? ` (${code})` : ''}`);
  }
  const text = await res.text();
  // Zhingdrok's own "no such route" (a problem document), not some other program on the port.
  if (res.status === 404 && /"code"\s*:\s*"route_not_found"/.test(text)) throw new NoDevToolsError(url);
  if (res.status !== 200) {
    let detail = text.slice(0, 500);
    try {
      const problem = JSON.parse(text) as {
        title?: string;
        detail?: string;
        errors?: Array<{ path?: string; message: string }>;
      };
      detail = [problem.title, problem.detail, ...(problem.errors ?? []).map((e) => `${e.path ?? ''}: ${e.message}`)]
        .filter(Boolean)
        .join(' — ');
    } catch {
      /* not a problem document: show the start of the body */
    }
    throw new Error(
      `${url}/dev/sms answered ${res.status}${detail ? `: ${detail}` : ''} (is this Zhingdrok's npm start, in local mode?)`,
    );
  }
  return (JSON.parse(text) as { replies: Reply[] }).replies;
}

async function inProcess(config: LocalConfig, body: { from: string; text: string; id?: string }): Promise<Reply[]> {
  // stdout is for the replies: the pipeline's warnings (alarms) go to stderr, its info lines nowhere.
  const stack = await startLocalStack(config, {
    log: (entry) => {
      if (entry.level === 'warn' || entry.level === 'error') process.stderr.write(`${JSON.stringify(entry)}\n`);
    },
  });
  try {
    const result = await stack.deps.handleInbound({
      gateway: 'dev',
      messageId: body.id ?? randomUUID(),
      from: body.from,
      text: body.text,
      receivedAt: new Date().toISOString(),
    });
    // As POST /dev/sms: an SMS that a guard stopped (country allow-list) is not one the message caused.
    const statuses = await Promise.all(result.replies.map((r) => stack.deps.outbound.get(r.id)));
    const stopped = new Set<DeliveryStatus>(['blocked', 'failed']);
    return result.replies
      .filter((_, i) => !stopped.has(statuses[i]?.status ?? 'queued'))
      .map(({ to, text, encoding, segments }) => ({ to, text, encoding, segments }));
  } finally {
    await stack.close();
  }
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message ? `zhingdrok sms: ${err.message}\n\n` : ''}${USAGE}\n`);
    return err.message ? 2 : 0;
  }
  const loaded = loadConfig();
  if (loaded.APP_MODE !== 'local')
    throw new ConfigError(['APP_MODE: npm run sms talks to the local stack; use APP_MODE=local (or leave it unset)']);
  const host = loaded.HOST === '0.0.0.0' || loaded.HOST === '::' ? '127.0.0.1' : loaded.HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${loaded.PORT}`;
  const body = { from: args.from, text: args.text, ...(args.id ? { id: args.id } : {}) };

  let replies = await viaServer(url, body);
  if (replies) process.stderr.write(`(sent to the server at ${url})\n`);
  else {
    process.stderr.write(`(no server on ${url}: running the pipeline in this process on ${loaded.DATA_DIR})\n`);
    replies = await inProcess(loaded, body);
  }
  printReplies(replies, args.json);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof AlreadyRunningError)
      process.stderr.write(`zhingdrok sms: ${err.message} If it is serving, set PORT to its port.\n`);
    else if (err instanceof ConfigError) process.stderr.write(`zhingdrok sms: ${err.message}\n`);
    else process.stderr.write(`zhingdrok sms: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
