import { pageTeams } from '../../src/caseloads/service';
import type { CoachInView } from '../../src/caseloads/queries';

// Which coaches a caseload page aggregates: every coach of the teams at the page's positions, so
// the team totals are whole, and nothing of the teams before or after it.

const coach = (id: number, teamId: number | null): CoachInView => ({
  id,
  displayName: `Coach ${id}`,
  teamId,
  teamName: teamId === null ? null : `Team ${teamId}`,
});

// In the page's team order: team 1 (3 coaches), team 2 (2), team 3 (1), then two without a team.
const coaches = [
  coach(11, 1),
  coach(12, 1),
  coach(13, 1),
  coach(21, 2),
  coach(22, 2),
  coach(31, 3),
  coach(1, null),
  coach(2, null),
];

test('a page inside one team takes that whole team, its offset counted from the team', () => {
  expect(pageTeams(coaches, { number: 2, limit: 1, offset: 1 })).toEqual({ ids: [11, 12, 13], offset: 1 });
});

test('a page across teams takes every team it touches and no other', () => {
  expect(pageTeams(coaches, { number: 2, limit: 3, offset: 3 })).toEqual({ ids: [21, 22, 31], offset: 0 });
  expect(pageTeams(coaches, { number: 2, limit: 2, offset: 2 })).toEqual({ ids: [11, 12, 13, 21, 22], offset: 2 });
});

test('coaches without a team are one group, last', () => {
  expect(pageTeams(coaches, { number: 4, limit: 2, offset: 6 })).toEqual({ ids: [1, 2], offset: 0 });
  expect(pageTeams(coaches, { number: 3, limit: 3, offset: 5 })).toEqual({ ids: [31, 1, 2], offset: 0 });
});

test('past the last page and without coaches: nothing to aggregate', () => {
  expect(pageTeams(coaches, { number: 9, limit: 2, offset: 16 })).toEqual({ ids: [], offset: 0 });
  expect(pageTeams([], { number: 1, limit: 50, offset: 0 })).toEqual({ ids: [], offset: 0 });
});
