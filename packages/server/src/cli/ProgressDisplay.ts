/**
 * How `tally report` shows a running task: a bar redrawn in place on a terminal, plain lines
 * (one per 10 %, and one per state change) when the output is a pipe or a file, so logs of a
 * scheduled job stay readable. Written to stderr; stdout carries only the result.
 */

/** What the display is told about the task. */
export interface ProgressSnapshot {
  readonly state: string;
  readonly progress: number;
}

/** A progress display. */
export interface ProgressDisplay {
  readonly update: (snapshot: ProgressSnapshot) => void;
  /** Ends the display (the bar's line is finished with a newline). */
  readonly done: () => void;
}

const barWidth = 30;

/** A display for the given stream; a bar when it is a terminal, lines otherwise. */
export const makeProgressDisplay = (
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressDisplay => {
  if (stream.isTTY === true) {
    let drawn = false;
    return {
      update: ({ state, progress }) => {
        const filled = Math.round((Math.max(0, Math.min(100, progress)) / 100) * barWidth);
        const bar = `${"█".repeat(filled)}${"░".repeat(barWidth - filled)}`;
        stream.write(`\r${label} [${bar}] ${String(progress).padStart(3)}% ${state}\u001b[K`);
        drawn = true;
      },
      done: () => {
        if (drawn) stream.write("\n");
      },
    };
  }
  let lastState = "";
  let lastStep = -1;
  return {
    update: ({ state, progress }) => {
      const step = Math.floor(progress / 10);
      if (state === lastState && step === lastStep) return;
      lastState = state;
      lastStep = step;
      stream.write(`${label}: ${state} ${progress}%\n`);
    },
    done: () => {},
  };
};
