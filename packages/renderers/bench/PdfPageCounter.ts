/**
 * Counts the pages of a PDF as its bytes stream by (`/Type /Page` dictionaries, as the
 * renderer writes them), keeping only a short tail between chunks: the benchmarks report
 * pages per second without holding a report in memory.
 */

/** A page counter fed chunk by chunk. */
export const pdfPageCounter = () => {
  const marker = "/Type /Page\n";
  let tail = "";
  let pages = 0;
  return {
    add: (chunk: Uint8Array): void => {
      const text = tail + Buffer.from(chunk).toString("latin1");
      for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) pages++;
      tail = text.slice(-marker.length + 1);
    },
    get pages(): number {
      return pages;
    },
  };
};
