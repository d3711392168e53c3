import { hashPassword, passwordRefusal } from '../../src/users/service';

// The one password rule (set-password page, /account, user:create), on its own.

const owner = { displayName: 'Cor van Dijk', email: 'cor.vandijk@werkpunt.example' };

test.each<[string, string]>([
  ['password1234', 'users.password.weak.similarToCommon'],
  ['aaaaaaaaaaaa', 'users.password.weak.simpleRepeat'],
  ['welkom123456', 'users.password.weak.generic'],
  ['qwertyuiopas', 'users.password.weak.similarToCommon'],
  ['kort', 'users.password.tooShort'],
  ['257 characters', 'users.password.tooLong'],
  ['vandijk-2026-zomer', 'users.password.personal'],
  ['Cor!2026 zomerfiets', 'users.password.personal'],
  ['werkpunt maandagochtend', 'users.password.personal'],
])('refuses %s', async (password, reason) => {
  const typed = password === '257 characters' ? 'x'.repeat(257) : password;
  expect(await passwordRefusal(typed, owner)).toBe(reason);
});

test.each(['correct horse battery', 'groene fietsen langs de gracht', 'Zeven blauwe fietsen aan de kade!'])(
  'accepts %s (a short name counts only as a word of its own)',
  async (password) => {
    expect(await passwordRefusal(password, owner)).toBeNull();
  },
);

test('refuses the current password', async () => {
  const currentHash = await hashPassword('groene fietsen langs de gracht');
  expect(await passwordRefusal('groene fietsen langs de gracht', { ...owner, currentHash })).toBe('users.password.sameAsCurrent');
  expect(await passwordRefusal('rode fietsen langs de gracht', { ...owner, currentHash })).toBeNull();
});
