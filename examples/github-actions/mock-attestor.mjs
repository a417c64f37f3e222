#!/usr/bin/env node
// A stand-in StellaOps Attestor for CI and local trials: listens on 127.0.0.1:PORT, answers
// every POST with 202 Accepted and records it in OUT_DIR as request-<n>.json (method, path,
// content type, whether a bearer token came, the body's sha256; never the token itself) and
// request-<n>.body.json (the body, byte for byte). GET /healthz answers 200 once it listens.
//
//   node mock-attestor.mjs PORT OUT_DIR
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [portArg, outDir] = process.argv.slice(2);
const port = Number(portArg);
if (!Number.isInteger(port) || port <= 0 || outDir === undefined) {
  process.stderr.write('usage: node mock-attestor.mjs PORT OUT_DIR\n');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

let count = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200).end('ok\n');
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const n = ++count;
    const body = Buffer.concat(chunks);
    const auth = req.headers.authorization;
    const record = {
      method: req.method,
      path: req.url,
      contentType: req.headers['content-type'] ?? null,
      authorization: auth === undefined ? null : /^Bearer \S+$/.test(auth) ? 'Bearer <redacted>' : '<not a bearer token>',
      bodySha256: `sha256:${createHash('sha256').update(body).digest('hex')}`,
    };
    writeFileSync(join(outDir, `request-${n}.json`), `${JSON.stringify(record, null, 2)}\n`);
    writeFileSync(join(outDir, `request-${n}.body.json`), body);
    const accepted = req.method === 'POST';
    res.writeHead(accepted ? 202 : 405, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: accepted ? 'accepted' : 'method not allowed', request: n }));
  });
});

server.listen(port, '127.0.0.1', () => process.stdout.write(`mock attestor listening on http://127.0.0.1:${port}\n`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
