import { importEsm } from '../../src/lib/esm';
test('loads openid-client', async () => {
  const client = await importEsm<typeof import('openid-client')>('openid-client');
  expect(typeof client.discovery).toBe('function');
});
