/**
 * The embedded stand-ins: dynalite (DynamoDB wire protocol) and s3rver (S3 wire protocol),
 * in this process, on loopback ports chosen by the OS. With a data directory they persist
 * there; without one dynalite keeps everything in memory (tests).
 */
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';

export interface LocalStores {
  dynamoEndpoint: string;
  s3Endpoint: string;
  close(): Promise<void>;
}

export async function startLocalStores(opts: { dataDir?: string; s3Dir: string }): Promise<LocalStores> {
  const dynamoPath = opts.dataDir ? join(opts.dataDir, 'dynamodb') : undefined;
  if (dynamoPath) await mkdir(dynamoPath, { recursive: true });
  await mkdir(opts.s3Dir, { recursive: true });

  const ddb = dynalite({ path: dynamoPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    ddb.once('error', reject);
    ddb.listen(0, '127.0.0.1', () => resolve());
  });
  const ddbPort = (ddb.address() as AddressInfo).port;

  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: opts.s3Dir });
  let s3Port: number;
  try {
    s3Port = (await s3.run()).port;
  } catch (err) {
    await new Promise((r) => ddb.close(r));
    throw err;
  }

  return {
    dynamoEndpoint: `http://127.0.0.1:${ddbPort}`,
    s3Endpoint: `http://127.0.0.1:${s3Port}`,
    async close() {
      await s3.close();
      // dynalite closes its LevelDB store when the server closes.
      await new Promise<void>((resolve) => ddb.close(() => resolve()));
    },
  };
}
