import { startTestStack } from '#test/support/stack.ts';
const stack = await startTestStack();
try {
  const phone = '+8613800000000';
  const j = (b: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
  let r = await stack.app.request('/api/v1/auth/code', j({ phone }));
  console.log(r.status, await r.text());
  const msgs = await stack.deps.outbound.listTo(phone, 5);
  console.log(msgs.map((m) => [m.text, m.status]));
  const code = /(\d{6})/.exec(msgs[0]!.text)![1];
  r = await stack.app.request('/api/v1/auth/token', j({ phone, code }));
  console.log(r.status, r.headers.get('set-cookie'));
  const { token } = await r.json() as { token: string };
  r = await stack.app.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  console.log(r.status, await r.text());
  r = await stack.app.request('/api/v1/auth/token', j({ phone, code }));
  console.log(r.status, await r.text());
  r = await stack.app.request('/api/v1/openapi.json');
  const doc = await r.json() as any;
  console.log(Object.keys(doc.paths), JSON.stringify(doc.components.securitySchemes));
} finally { await stack.close(); }
