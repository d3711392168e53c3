/**
 * The previous release, for the upgrade test (upgrade.test.ts): the migrations its schema was made
 * of, written down here rather than read from git, so the test runs the same in a clone without
 * tags, a shallow clone or an unpacked tarball. Where the history is there, the test also checks
 * this list against the release's commit.
 *
 * Release v0.1.0 is the first wave of InBeeld (issues 2 to 7), commit a157765, tagged `v0.1.0`.
 * When a release is made, it becomes the previous release here: its tag, commit and migrations.
 */
export const PREVIOUS_RELEASE = {
  tag: 'v0.1.0',
  commit: 'a157765147c1f4f4d5ca801fae455a17203235da',
  migrations: [
    '20261123000000_foundation',
    '20261123010000_caseload_core',
    '20261123020000_contacts_goals_referrals',
    '20261123030000_risk_settings',
    '20261123040000_risk_followup',
    '20261123050000_reports',
  ],
} as const;
