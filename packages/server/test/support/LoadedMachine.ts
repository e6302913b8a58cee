/**
 * Time bounds for tests that start `tally` processes or wait for work to happen, sized for a
 * 2-core machine whose cores are both busy with other work: there a Node process can take
 * several seconds just to start, and tests of one file run side by side. The bounds only end a
 * wait that would otherwise hang; no test asserts how long something took.
 */

/** The timeout of a test that starts processes. */
export const processTestTimeoutMs = 300_000;

/** How long a test waits for a condition (a log line, a task state) before it gives up. */
export const waitDeadlineMs = 120_000;
