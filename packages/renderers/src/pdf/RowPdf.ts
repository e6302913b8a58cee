/**
 * What the PDF renderer streams: a document whose first pages are drawn when it is opened and
 * whose rows arrive in chunks as the consumer pulls them.
 */

/** A PDF report being drawn row chunk by row chunk. */
export interface RowPdf<A> {
  /** Draws the next rows. */
  readonly add: (rows: ReadonlyArray<A>) => void;
  /** Draws what follows the last row and ends the document. */
  readonly finish: () => void;
  /** The bytes written since the last call. */
  readonly take: () => Array<Uint8Array>;
}
