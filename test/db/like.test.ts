import { containing, likeEscaped } from '../../src/db/like';

// What a person types into a search box is text: LIKE's wildcards and its escape character in it
// are matched literally (the search tests of participants and employers check it against the database).

test('wildcards and the escape character are escaped, everything else is left as typed', () => {
  expect(likeEscaped('100%_zeker\\ja')).toBe('100\\%\\_zeker\\\\ja');
  expect(likeEscaped("O'Brien-Ångström")).toBe("O'Brien-Ångström");
});

test('containing matches the escaped text anywhere', () => {
  expect(containing('5_%')).toBe('%5\\_\\%%');
  expect(containing('')).toBe('%%');
});
