/**
 * `npm start`: Zhingdrok on this machine, with embedded DynamoDB and S3 under DATA_DIR.
 */
import { ConfigError, type LocalConfig, loadConfig } from '#config';
import { devToolsFor, lanUrls } from './dev-tools.ts';
import { AlreadyRunningError } from './lock.ts';
import { startLocalScheduler } from './scheduler.ts';
import { listen, localApp } from './server.ts';
import { startLocalStack } from './stack.ts';

async function main() {
  const started = performance.now();
  const loaded = loadConfig();
  if (loaded.APP_MODE !== 'local')
    throw new ConfigError(['APP_MODE: npm start runs the local stack; use APP_MODE=local (or leave it unset)']);
  const config: LocalConfig = loaded;

  // Decided before anything starts: DEV_TOOLS=on with a HOST other machines reach is refused here.
  const { devTools, loopbackOnly } = await devToolsFor(config);

  const stack = await startLocalStack(config, { print: (line) => console.log(line) });
  const { server, port } = await listen(localApp(stack.deps, { devTools }), config.PORT, config.HOST);
  // The price digest and the publication sweep, as EventBridge Scheduler runs them in AWS.
  const scheduler = startLocalScheduler(stack.deps, { digestTime: config.PRICE_DIGEST_TIME });
  const url = `http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  const admins = config.ADMIN_PHONES.length
    ? config.ADMIN_PHONES.join(', ')
    : '(none: set ADMIN_PHONES=+86… to make admins)';
  const nextDigest = `price digest daily at ${config.PRICE_DIGEST_TIME} Asia/Shanghai (next ${scheduler.next()['price-digest'].toISOString()})`;
  const lan = loopbackOnly ? [] : lanUrls(config.HOST, port);
  console.log(
    [
      '',
      `  Zhingdrok ཞིང་འབྲོག 农牧通 is running at ${url}  (${Math.round(performance.now() - started)} ms)`,
      ...(loopbackOnly
        ? []
        : [
            `  LAN:  ${lan.length ? `open ${lan.join('  or  ')} from the other machines on the network` : `(no network address found for HOST=${config.HOST})`}`,
          ]),
      `  data: ${config.DATA_DIR}${stack.seeded ? ' (new store: reference data seeded)' : stack.reseeded ? ' (reference data updated to this version; edits kept)' : ''}`,
      ...(stack.unfinishedInbound.finished + stack.unfinishedInbound.failed
        ? [
            `  SMS left unfinished by a crash: ${stack.unfinishedInbound.finished} finished now${stack.unfinishedInbound.failed ? `, ${stack.unfinishedInbound.failed} failed again (retried at the next start)` : ''}`,
          ]
        : []),
      `  API:  ${url}/api/v1/openapi.json   health: ${url}/health`,
      `  admins: ${admins}`,
      ...(devTools
        ? [
            `  sign in: ${url}/sign-in with an admin phone; the code is printed here and listed at ${url}/dev/outbox?to=<phone>`,
            `  jobs: ${nextDigest}; run now: POST ${url}/dev/jobs/price-digest`,
            `  SMS:  ${url}/dev/phone (phone simulator), or POST ${url}/dev/sms {"from","text"}, or npm run sms -- <phone> "HELP"`,
          ]
        : [
            `  sign in: ${url}/sign-in with an admin phone; the code SMS is printed here, in this console, and never served over HTTP`,
            `  developer tools (/dev/*): off — ${loopbackOnly ? 'DEV_TOOLS=off' : `HOST=${config.HOST} is reachable from the network`}`,
            `  jobs: ${nextDigest}`,
          ]),
      '  Ctrl+C stops it.',
      '',
    ].join('\n'),
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: stopping…`);
    scheduler.stop();
    server.close();
    stack.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof AlreadyRunningError) {
    console.error(`zhingdrok: ${err.message}`);
  } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`zhingdrok: port in use — ${(err as Error).message}. Set PORT to another port.`);
  } else {
    console.error('zhingdrok: failed to start:', err);
  }
  process.exit(1);
});
