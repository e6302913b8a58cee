/**
 * A time chart drawn as PDF vector operators: figures per time bucket as steps over the
 * interval — a filled area (licensed users) or areas stacked one on the other (the largest
 * tenants and the others, whose top is every protected VM) —, an optional capacity line above
 * which an area turns red, horizontal grid lines with round values, calendar ticks from
 * `TimeAxis`, and a legend.
 *
 * It draws into any `ContentBuffer` in its own box coordinates (origin at the box's bottom-left
 * corner, y up), so the same chart goes straight onto a page (`PdfCanvas.drawBox`) or into a form
 * XObject whose content is written later (`PdfCanvas.deferBox`), when its figures are complete.
 * Runs of buckets with the same figure are drawn as one segment, so a chart costs at most a few
 * operators per bucket whatever the report's length.
 */
import { bucketEnd, bucketStart, type ResolvedZone, type TimeBuckets } from "@tally/core";
import type { ContentBuffer } from "./ContentBuffer.ts";
import type { EmbeddedFace } from "./EmbeddedFace.ts";
import { count, figure } from "./ReportLabels.ts";
import { timeTicks } from "./TimeAxis.ts";

/** A colour as red, green and blue from 0 to 1. */
export type Rgb = readonly [number, number, number];

/** Colours of the charts: calm blues for figures within limits, red for beyond capacity. */
export const palette = {
  ink: [0.15, 0.15, 0.15] as Rgb,
  muted: [0.42, 0.42, 0.42] as Rgb,
  grid: [0.86, 0.86, 0.86] as Rgb,
  area: [0.62, 0.74, 0.9] as Rgb,
  areaEdge: [0.2, 0.4, 0.7] as Rgb,
  beyond: [0.85, 0.25, 0.2] as Rgb,
  capacity: [0.1, 0.1, 0.1] as Rgb,
  /** Stacked series, in order, and the rest. */
  stack: [
    [0.36, 0.56, 0.82],
    [0.95, 0.63, 0.3],
    [0.45, 0.73, 0.45],
    [0.7, 0.55, 0.82],
  ] as ReadonlyArray<Rgb>,
  rest: [0.78, 0.78, 0.78] as Rgb,
};

/** One series of figures, one per bucket. */
export interface ChartSeries {
  readonly label: string;
  readonly color: Rgb;
  readonly values: ArrayLike<number>;
  /** `area`: filled from zero (red above the capacity, if any); `stack`: filled on top of the stack series before it. */
  readonly kind: "area" | "stack";
}

/** What a time chart shows. */
export interface TimeChart {
  readonly width: number;
  readonly height: number;
  readonly buckets: TimeBuckets;
  readonly zone: ResolvedZone;
  readonly series: ReadonlyArray<ChartSeries>;
  /** A horizontal line at the capacity, labelled, or null. */
  readonly capacity: number | null;
  /** Whether figures are whole numbers (grid values then are too). */
  readonly integers: boolean;
  /** What the values are, written at the top left of the plot: `VMs`, `users`. */
  readonly unit: string;
  /** Written across the plot when every figure is zero and there is no capacity line. */
  readonly emptyNote: string;
}

/** The faces a chart writes its labels in. */
export interface ChartFaces {
  readonly regular: EmbeddedFace;
  readonly bold: EmbeddedFace;
}

const LABEL_SIZE = 6.5;
const LEGEND_SIZE = 7;
const LEGEND_HEIGHT = 13;
const AXIS_LEFT = 34;
const AXIS_BOTTOM = 20;
const PAD_RIGHT = 6;

const setFill = (out: ContentBuffer, [r, g, b]: Rgb): void => {
  out.number(r);
  out.ascii(" ");
  out.number(g);
  out.ascii(" ");
  out.number(b);
  out.ascii(" rg\n");
};

const setStroke = (out: ContentBuffer, [r, g, b]: Rgb, width: number): void => {
  out.number(r);
  out.ascii(" ");
  out.number(g);
  out.ascii(" ");
  out.number(b);
  out.ascii(" RG ");
  out.number(width);
  out.ascii(" w\n");
};

const point = (out: ContentBuffer, x: number, y: number, op: "m" | "l"): void => {
  out.number(x);
  out.ascii(" ");
  out.number(y);
  out.ascii(op === "m" ? " m\n" : " l\n");
};

const rect = (out: ContentBuffer, x: number, y: number, width: number, height: number): void => {
  out.number(x);
  out.ascii(" ");
  out.number(y);
  out.ascii(" ");
  out.number(width);
  out.ascii(" ");
  out.number(height);
  out.ascii(" re\n");
};

/** Text with its baseline at (x, y), aligned left, centred or right at x. */
const boxText = (
  out: ContentBuffer,
  face: EmbeddedFace,
  size: number,
  x: number,
  y: number,
  text: string,
  align: "left" | "center" | "right" = "left",
): number => {
  const width = (face.measure(text) * size) / 1000;
  const left = align === "left" ? x : align === "center" ? x - width / 2 : x - width;
  out.ascii(`BT /${face.id} `);
  out.number(size);
  out.ascii(" Tf ");
  out.number(left);
  out.ascii(" ");
  out.number(y);
  out.ascii(" Td ");
  face.fit(out, text, Number.POSITIVE_INFINITY);
  out.ascii(" Tj ET\n");
  return width;
};

/** A round grid step giving at most `lines` lines up to `max` (whole numbers when asked). */
const gridStep = (max: number, lines: number, integers: boolean): number => {
  const raw = max / lines;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return integers ? Math.max(1, Math.ceil(step)) : step;
};

/**
 * Runs of buckets with equal values (and equal `also` values, if given): `[from, to)` bucket
 * ranges and their value.
 */
const runs = (
  values: ArrayLike<number>,
  count: number,
  also?: ArrayLike<number>,
): Array<readonly [number, number, number]> => {
  const out: Array<readonly [number, number, number]> = [];
  let from = 0;
  for (let i = 1; i <= count; i++) {
    const same = values[i] === values[from] && (also === undefined || also[i] === also[from]);
    if (i === count || !same) {
      out.push([from, i, values[from] as number]);
      from = i;
    }
  }
  return out;
};

/** Draws a time chart into `out`, in box coordinates (0, 0)–(width, height). */
export const drawTimeChart = (out: ContentBuffer, faces: ChartFaces, chart: TimeChart): void => {
  const { buckets, width, height } = chart;
  const n = buckets.count;
  const plotLeft = AXIS_LEFT;
  const plotRight = width - PAD_RIGHT;
  const plotBottom = AXIS_BOTTOM;
  const plotTop = height - LEGEND_HEIGHT - 4;
  const plotWidth = plotRight - plotLeft;
  const plotHeight = plotTop - plotBottom;

  // Stacked series drawn between the sum of those before and that sum plus their own.
  const stacked: Array<{ series: ChartSeries; lower: Float64Array; upper: Float64Array }> = [];
  let below = new Float64Array(n);
  for (const series of chart.series) {
    if (series.kind !== "stack") continue;
    const upper = new Float64Array(n);
    for (let i = 0; i < n; i++) upper[i] = (below[i] as number) + (series.values[i] as number);
    stacked.push({ series, lower: below, upper });
    below = upper;
  }
  let max = chart.capacity ?? 0;
  for (let i = 0; i < n; i++) max = Math.max(max, below[i] as number);
  for (const series of chart.series) {
    if (series.kind !== "area") continue;
    for (let i = 0; i < n; i++) max = Math.max(max, series.values[i] as number);
  }
  const step = gridStep(max > 0 ? max : 1, 5, chart.integers);
  const top = Math.max(step, Math.ceil((max * 1.04) / step) * step);
  const span = buckets.end - buckets.start;
  const xOf = (instant: number) => plotLeft + ((instant - buckets.start) / span) * plotWidth;
  const yOf = (value: number) => plotBottom + (value / top) * plotHeight;

  // Grid and value labels.
  setStroke(out, palette.grid, 0.4);
  setFill(out, palette.muted);
  for (let value = 0; value <= top + step / 1000; value += step) {
    const y = yOf(value);
    point(out, plotLeft, y, "m");
    point(out, plotRight, y, "l");
    out.ascii("S\n");
    const label = figure(value, Math.max(0, Math.ceil(-Math.log10(step))));
    boxText(out, faces.regular, LABEL_SIZE, plotLeft - 3, y - LABEL_SIZE * 0.35, label, "right");
  }
  boxText(out, faces.regular, LABEL_SIZE, plotLeft - 3, plotTop + 4, chart.unit, "right");

  // Areas first, then the capacity line.
  for (const series of chart.series) {
    if (series.kind !== "area" || n === 0) continue;
    const capacity = chart.capacity;
    for (const [from, to, value] of runs(series.values, n)) {
      if (value <= 0) continue;
      const x = xOf(bucketStart(buckets, from));
      const w = xOf(bucketEnd(buckets, to - 1)) - x;
      const within = capacity === null ? value : Math.min(value, capacity);
      setFill(out, series.color);
      rect(out, x, plotBottom, w, yOf(within) - plotBottom);
      out.ascii("f\n");
      if (capacity !== null && value > capacity) {
        setFill(out, palette.beyond);
        rect(out, x, yOf(capacity), w, yOf(value) - yOf(capacity));
        out.ascii("f\n");
      }
    }
  }
  for (const { series, lower, upper } of stacked) {
    setFill(out, series.color);
    for (const [from, to] of runs(series.values, n, lower)) {
      const height = yOf(upper[from] as number) - yOf(lower[from] as number);
      if (height <= 0) continue;
      const x = xOf(bucketStart(buckets, from));
      rect(out, x, yOf(lower[from] as number), xOf(bucketEnd(buckets, to - 1)) - x, height);
      out.ascii("f\n");
    }
  }
  if (stacked.length > 0 && n > 0)
    stepLine(out, below, n, buckets, xOf, yOf, palette.areaEdge, 0.8);
  if (chart.capacity !== null) {
    const y = yOf(chart.capacity);
    setStroke(out, palette.capacity, 0.9);
    out.ascii("[3 2] 0 d\n");
    point(out, plotLeft, y, "m");
    point(out, plotRight, y, "l");
    out.ascii("S [] 0 d\n");
  }

  if (max === 0) {
    setFill(out, palette.muted);
    boxText(
      out,
      faces.regular,
      LEGEND_SIZE,
      (plotLeft + plotRight) / 2,
      (plotBottom + plotTop) / 2,
      chart.emptyNote,
      "center",
    );
  }

  // The time axis.
  setStroke(out, palette.muted, 0.6);
  point(out, plotLeft, plotBottom, "m");
  point(out, plotRight, plotBottom, "l");
  out.ascii("S\n");
  const ticks = timeTicks(
    chart.zone,
    buckets.start,
    buckets.end,
    Math.max(2, Math.floor(plotWidth / 55)),
  );
  setFill(out, palette.muted);
  for (const tick of ticks) {
    const x = xOf(tick.at);
    point(out, x, plotBottom, "m");
    point(out, x, plotBottom - 3, "l");
    out.ascii("S\n");
    const align = x - plotLeft < 12 ? "left" : plotRight - x < 12 ? "right" : "center";
    boxText(out, faces.regular, LABEL_SIZE, x, plotBottom - 3 - LABEL_SIZE, tick.label, align);
    if (tick.secondLine !== "") {
      boxText(
        out,
        faces.regular,
        LABEL_SIZE,
        x,
        plotBottom - 4 - 2 * LABEL_SIZE,
        tick.secondLine,
        align,
      );
    }
  }

  // The legend, right-aligned above the plot.
  const entries = chart.series.map((s) => ({ label: s.label, color: s.color }));
  if (chart.capacity !== null) {
    entries.push({ label: "Beyond capacity", color: palette.beyond });
  }
  let x = plotRight;
  const y = height - LEGEND_SIZE - 1;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as (typeof entries)[number];
    const textWidth = (faces.regular.measure(entry.label) * LEGEND_SIZE) / 1000;
    x -= textWidth;
    setFill(out, palette.ink);
    boxText(out, faces.regular, LEGEND_SIZE, x, y, entry.label);
    x -= 13;
    setFill(out, entry.color);
    rect(out, x, y - 0.5, 9, 6);
    out.ascii("f\n");
    x -= 12;
  }
  if (chart.capacity !== null) {
    const label = `Capacity ${count(chart.capacity)}`;
    x -= (faces.regular.measure(label) * LEGEND_SIZE) / 1000;
    setFill(out, palette.ink);
    boxText(out, faces.regular, LEGEND_SIZE, x, y, label);
    x -= 13;
    setStroke(out, palette.capacity, 0.9);
    out.ascii("[3 2] 0 d\n");
    point(out, x, y + 2.5, "m");
    point(out, x + 10, y + 2.5, "l");
    out.ascii("S [] 0 d\n");
  }
  out.ascii("0 g 0 G 1 w\n");
};

/** A step line through the figures of the buckets. */
const stepLine = (
  out: ContentBuffer,
  values: ArrayLike<number>,
  n: number,
  buckets: TimeBuckets,
  xOf: (instant: number) => number,
  yOf: (value: number) => number,
  color: Rgb,
  width: number,
): void => {
  setStroke(out, color, width);
  out.ascii("1 j\n");
  let first = true;
  for (const [from, to, value] of runs(values, n)) {
    const y = yOf(value);
    point(out, xOf(bucketStart(buckets, from)), y, first ? "m" : "l");
    point(out, xOf(bucketEnd(buckets, to - 1)), y, "l");
    first = false;
  }
  out.ascii("S 0 j\n");
};
