/**
 * The embedded stand-ins: dynalite (DynamoDB wire protocol) and s3rver (S3 wire protocol),
 * in this process, on loopback ports chosen by the OS. With a data directory they persist
 * there; without one dynalite keeps everything in memory (tests).
 *
 * dynalite runs on a worker thread: on the main thread it shared one core with the app, the
 * AWS SDK and s3rver, and the inbound SMS pipeline (ten table requests a message) was bound
 * by that one core.
 */
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import S3rver from 's3rver';

async function startDynalite(path: string | undefined): Promise<{ port: number; close(): Promise<void> }> {
  const worker = new Worker(new URL('./dynalite-thread.mjs', import.meta.url), { workerData: { path } });
  const [first] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([err]) => {
      throw err;
    }),
  ])) as [{ port?: number; error?: string }];
  if (!first.port) {
    await worker.terminate();
    throw new Error(`dynalite did not start: ${first.error}`);
  }
  return {
    port: first.port,
    async close() {
      worker.postMessage('close');
      await once(worker, 'message');
      await worker.terminate();
    },
  };
}

export interface LocalStores {
  dynamoEndpoint: string;
  s3Endpoint: string;
  close(): Promise<void>;
}

export async function startLocalStores(opts: { dataDir?: string; s3Dir: string }): Promise<LocalStores> {
  const dynamoPath = opts.dataDir ? join(opts.dataDir, 'dynamodb') : undefined;
  if (dynamoPath) await mkdir(dynamoPath, { recursive: true });
  await mkdir(opts.s3Dir, { recursive: true });

  const ddb = await startDynalite(dynamoPath);
  const ddbPort = ddb.port;

  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: opts.s3Dir });
  let s3Port: number;
  try {
    s3Port = (await s3.run()).port;
  } catch (err) {
    await ddb.close();
    throw err;
  }

  return {
    dynamoEndpoint: `http://127.0.0.1:${ddbPort}`,
    s3Endpoint: `http://127.0.0.1:${s3Port}`,
    async close() {
      await s3.close();
      await ddb.close();
    },
  };
}
