/**
 * A task as the first vendor's API shows it — `id, created, stateChanged, changed, state,
 * type, stage, progress, result, error` — in XML (the vendor's default,
 * `<task id=".." created="..">…</task>`) or JSON.
 */
import { isoInstant, type ReportTask } from "@tally/core";
import type { VendorTaskJson, VendorTaskState } from "../../api/Representations.ts";
import { vendorState } from "./VendorTaskState.ts";

/** The vendor's view of a task (the `VendorTaskJson` Schema). */
export type VendorTask = VendorTaskJson;

const stageOf = (task: ReportTask, state: VendorTaskState): string => {
  switch (state) {
    case "Queued":
      return task.attempts === 0 ? "Waiting for a worker" : "Waiting for a worker to retry";
    case "Running":
      return `Generating the report (attempt ${task.attempts} of ${task.maxAttempts})`;
    case "Stopping":
      return "Stopping at the next step";
    case "Completed":
      return "Report ready";
    case "Failed":
      return "Failed";
    default:
      return "Canceled";
  }
};

/**
 * The vendor's view of a task. As the vendor documents, on completion `result` holds the
 * report id or, for a failed task, the error message (which `error` carries too).
 */
export const toVendorTask = (task: ReportTask): VendorTask => {
  const state = vendorState(task);
  return {
    id: task.id,
    created: isoInstant(task.createdAt),
    stateChanged: isoInstant(task.stateChangedAt),
    changed: isoInstant(task.changedAt),
    state,
    type: task.type,
    stage: stageOf(task, state),
    progress: task.progress,
    result:
      task.state._tag === "Succeeded"
        ? task.state.reportId
        : task.state._tag === "Failed"
          ? task.state.error.message
          : null,
    error: task.state._tag === "Failed" ? task.state.error.message : null,
  };
};

// Characters XML 1.0 does not allow at all (C0 controls but tab, LF, CR; lone surrogates; FFFE/FFFF).
const invalidXmlChars =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding the characters XML forbids is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML content or a double-quoted attribute; drops characters XML forbids. */
export const escapeXml = (text: string): string =>
  text.replace(invalidXmlChars, "\uFFFD").replace(/[&<>"']/g, (ch) => {
    switch (ch) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&apos;";
    }
  });

const taskElement = (task: VendorTask, indent: string): string => {
  const child = (name: string, value: string | number | null): string =>
    value === null ? "" : `${indent}  <${name}>${escapeXml(String(value))}</${name}>\n`;
  return (
    `${indent}<task id="${escapeXml(task.id)}" created="${escapeXml(task.created)}">\n` +
    child("stateChanged", task.stateChanged) +
    child("changed", task.changed) +
    child("state", task.state) +
    child("type", task.type) +
    child("stage", task.stage) +
    child("progress", task.progress) +
    child("result", task.result) +
    child("error", task.error) +
    `${indent}</task>\n`
  );
};

const xmlDeclaration = '<?xml version="1.0" encoding="utf-8"?>\n';

/** One task as an XML document. */
export const vendorTaskXml = (task: VendorTask): string => xmlDeclaration + taskElement(task, "");

/** A list of tasks as an XML document (`<tasks><task …/>…</tasks>`). */
export const vendorTaskListXml = (tasks: ReadonlyArray<VendorTask>): string =>
  `${xmlDeclaration}<tasks>\n${tasks.map((t) => taskElement(t, "  ")).join("")}</tasks>\n`;
