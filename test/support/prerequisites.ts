/**
 * Tests that need something outside the repository (a database, Chromium, the corpus) skip
 * when it is missing, except under SQLPERF_REQUIRE_ALL=1 (CI), where a missing
 * prerequisite is a failure: a green CI run must mean every test really ran.
 */
export const REQUIRE_ALL = process.env.SQLPERF_REQUIRE_ALL === '1';

/** Returns false when `available`; otherwise a skip reason, or throws under REQUIRE_ALL. */
export function requirePrerequisite(available: boolean, what: string): false | string {
  if (available) return false;
  if (REQUIRE_ALL) throw new Error(`SQLPERF_REQUIRE_ALL=1 but a prerequisite is missing: ${what}`);
  return what;
}
