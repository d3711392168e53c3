import { roleFromClaim } from '../../src/sso/role-claim';

// OIDC_ROLE_CLAIM's values (src/sso/role-claim.ts): only `inbeeld:<role>[:<team>]` counts.
describe('roleFromClaim', () => {
  test.each([
    [undefined, { kind: 'none' }],
    [42, { kind: 'none' }],
    [[], { kind: 'none' }],
    [['Domain Users', 'otherapp:admin', 'inbeeld:', 'inbeeld:boss'], { kind: 'none' }],
    ['inbeeld:admin', { kind: 'role', role: 'admin', team: null }],
    [['INBEELD:Admin:Team_Noord'], { kind: 'role', role: 'admin', team: null }],
    [['inbeeld:coach:Team_Noord'], { kind: 'role', role: 'coach', team: 'Team Noord' }],
    [['inbeeld:manager:Team Zuid'], { kind: 'role', role: 'manager', team: 'Team Zuid' }],
    [['inbeeld:coach'], { kind: 'role', role: 'coach', team: null }],
    [['inbeeld:coach:Team_Noord', 'inbeeld:manager:Team_Zuid'], { kind: 'role', role: 'manager', team: 'Team Zuid' }],
    [['inbeeld:coach:Team_Noord', 'inbeeld:coach:team noord'], { kind: 'role', role: 'coach', team: 'Team Noord' }],
    [['inbeeld:coach', 'inbeeld:coach:Team_Noord'], { kind: 'role', role: 'coach', team: 'Team Noord' }],
    [['inbeeld:coach:Team_Noord', 'inbeeld:coach:Team_Zuid'], { kind: 'ambiguous' }],
    [['inbeeld:coach:A:B'], { kind: 'role', role: 'coach', team: 'A:B' }],
  ])('%j gives %j', (claim, expected) => {
    expect(roleFromClaim(claim)).toEqual(expected);
  });
});
