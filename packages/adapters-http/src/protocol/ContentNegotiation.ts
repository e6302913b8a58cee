/**
 * `Accept` negotiation (RFC 9110 §12.5.1): picks which of the media types a route can produce
 * the client prefers, honouring quality values and wildcards, and `Content-Type` matching.
 */

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  /** Declaration order, to break ties among equally specific ranges. */
  readonly order: number;
}

const parseAccept = (header: string): ReadonlyArray<MediaRange> => {
  const ranges: Array<MediaRange> = [];
  header.split(",").forEach((part, order) => {
    const [mediaType = "", ...params] = part.split(";");
    const [type, subtype] = mediaType.trim().toLowerCase().split("/");
    if (type === undefined || type === "" || subtype === undefined || subtype === "") return;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split("=");
      if (name?.trim().toLowerCase() === "q" && value !== undefined) {
        const parsed = Number(value.trim());
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    ranges.push({ type, subtype, q, order });
  });
  return ranges;
};

const specificity = (range: MediaRange): number =>
  range.type === "*" ? 0 : range.subtype === "*" ? 1 : 2;

const qualityOf = (ranges: ReadonlyArray<MediaRange>, offered: string): number => {
  const [type, subtype] = offered.toLowerCase().split("/");
  let best: MediaRange | undefined;
  for (const range of ranges) {
    const matches =
      (range.type === "*" || range.type === type) &&
      (range.subtype === "*" || range.subtype === subtype);
    if (!matches) continue;
    if (best === undefined || specificity(range) > specificity(best)) best = range;
  }
  return best?.q ?? 0;
};

/**
 * The offered media type the `Accept` header prefers (ties go to the earlier offer), or
 * undefined when none is acceptable. A missing or empty header accepts the first offer.
 */
export const negotiate = (
  acceptHeader: string | undefined,
  offered: ReadonlyArray<string>,
): string | undefined => {
  if (acceptHeader === undefined || acceptHeader.trim() === "") return offered[0];
  const ranges = parseAccept(acceptHeader);
  if (ranges.length === 0) return offered[0];
  let best: string | undefined;
  let bestQ = 0;
  for (const candidate of offered) {
    const q = qualityOf(ranges, candidate);
    if (q > bestQ) {
      best = candidate;
      bestQ = q;
    }
  }
  return best;
};

/** True when the header explicitly lists this media type (not only through a wildcard). */
export const acceptsExplicitly = (acceptHeader: string | undefined, mediaType: string): boolean => {
  if (acceptHeader === undefined) return false;
  const [type, subtype] = mediaType.toLowerCase().split("/");
  return parseAccept(acceptHeader).some((r) => r.type === type && r.subtype === subtype && r.q > 0);
};

/** The bare media type of a `Content-Type` header (lowercase, without parameters). */
export const mediaTypeOf = (contentType: string | undefined): string | undefined => {
  if (contentType === undefined) return undefined;
  const bare = contentType.split(";")[0]?.trim().toLowerCase();
  return bare === undefined || bare === "" ? undefined : bare;
};

/** True for `application/json` and any `+json` structured-syntax media type. */
export const isJsonMediaType = (mediaType: string | undefined): boolean =>
  mediaType === "application/json" || (mediaType?.endsWith("+json") ?? false);
