/**
 * The absolute paths Tally's answers point to (`Location`, `links`, `Link: rel="next"`), under
 * the base path Tally is served at (empty when it owns the whole server, `/tally` when a host
 * mounts it there).
 */

/** Paths of the resources answers link to. */
export interface Paths {
  /** The base path (no trailing slash), e.g. `""` or `/tally`. */
  readonly base: string;
  readonly task: (id: string) => string;
  readonly report: (id: string) => string;
  readonly reportContent: (id: string) => string;
  readonly vendorTask: (id: string) => string;
  /** The same listing (path and query as requested, under the base) with another cursor. */
  readonly nextPage: (requestUrl: string, cursor: string) => string;
}

/** The paths under `base`. */
export const makePaths = (base: string): Paths => {
  const at = (path: string) => `${base}${path}`;
  const id = encodeURIComponent;
  return {
    base,
    task: (taskId) => at(`/v1/tasks/${id(taskId)}`),
    report: (reportId) => at(`/v1/reports/${id(reportId)}`),
    reportContent: (reportId) => at(`/v1/reports/${id(reportId)}/content`),
    vendorTask: (taskId) => at(`/api/2.0/virtualization/tasks/${id(taskId)}`),
    nextPage: (requestUrl, cursor) => {
      const next = new URL(requestUrl, "http://tally");
      next.searchParams.set("cursor", cursor);
      return at(`${next.pathname}${next.search}`);
    },
  };
};
