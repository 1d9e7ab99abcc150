// dynalite on a worker thread of the local process: the embedded DynamoDB gets its own core
// instead of sharing the event loop with the app that calls it (see stores.ts). Plain
// JavaScript so that the worker starts without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.once('error', (err) => parentPort.postMessage({ error: String(err) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (msg) => {
  // Closing the server also closes dynalite's LevelDB store, flushing it to disk.
  if (msg === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
