/**
 * The browsable API reference at `/docs`: one self-contained HTML page rendered on the server
 * from the OpenAPI document — no script, no font, nothing fetched from elsewhere — so it works
 * offline and behind any firewall. Problem types have anchors here (`#problem-…`), which is
 * what the `type` URIs of problem details point at.
 */
import { problemKinds } from "../problems/HttpProblem.ts";

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) =>
    ch === "&"
      ? "&amp;"
      : ch === "<"
        ? "&lt;"
        : ch === ">"
          ? "&gt;"
          : ch === '"'
            ? "&quot;"
            : "&#39;",
  );

/** Renders backticked spans of a description as code. */
const prose = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");

const json = (value: unknown): string => escapeHtml(JSON.stringify(value, null, 2));

const anchorOf = (method: string, path: string): string =>
  `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;

type Operation = {
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: ReadonlyArray<string>;
  readonly parameters?: ReadonlyArray<{
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: unknown;
  }>;
  readonly requestBody?: {
    description?: string;
    content?: Record<string, { schema?: unknown; example?: unknown }>;
  };
  readonly responses?: Record<
    string,
    {
      description?: string;
      headers?: Record<string, { description?: string }>;
      content?: Record<string, { schema?: unknown }>;
    }
  >;
  readonly security?: ReadonlyArray<unknown>;
};

const style = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{background:#1d2330;color:#fff;padding:1.5rem 2rem}header h1{margin:0 0 .3rem}header p{margin:.2rem 0;opacity:.85}
main{display:flex;gap:2rem;padding:1.5rem 2rem}nav{min-width:17rem;max-width:20rem;position:sticky;top:1rem;align-self:flex-start;max-height:95vh;overflow:auto}
nav h3{margin:1rem 0 .3rem;font-size:.9rem;text-transform:uppercase;color:#667}nav a{display:block;text-decoration:none;color:#1d2330;font-size:.85rem;padding:.1rem 0}
section.op{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:1rem 1.2rem;margin:0 0 1.2rem}
.m{display:inline-block;min-width:4.2rem;text-align:center;font-weight:700;border-radius:4px;padding:.1rem .4rem;color:#fff;font-size:.8rem}
.GET{background:#2f7d32}.POST{background:#1565c0}.PUT{background:#8e6a00}.DELETE{background:#b71c1c}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}pre{background:#f3f5f8;padding:.6rem;border-radius:4px;overflow:auto;max-height:24rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0}td,th{border-bottom:1px solid #e6e9ee;padding:.3rem .5rem;text-align:left;vertical-align:top}
.lock{font-size:.8rem;color:#8e6a00}.pub{font-size:.8rem;color:#2f7d32}details{margin:.3rem 0}h2{margin-top:2rem}
`;

/** The reference page of an OpenAPI document. */
export const renderReferencePage = (document: Record<string, unknown>): string => {
  const info = document.info as { title: string; version: string; description: string };
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const schemas = ((document.components as { schemas?: Record<string, unknown> }).schemas ??
    {}) as Record<string, unknown>;
  const byTag = new Map<string, Array<{ method: string; path: string; op: Operation }>>();
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? "Other";
      const list = byTag.get(tag) ?? [];
      list.push({ method: method.toUpperCase(), path, op });
      byTag.set(tag, list);
    }
  }
  const nav = [...byTag.entries()]
    .map(
      ([tag, ops]) =>
        `<h3>${escapeHtml(tag)}</h3>` +
        ops
          .map(
            ({ method, path, op }) =>
              `<a href="#${anchorOf(method, path)}"><span class="m ${method}">${method}</span> ${escapeHtml(op.summary ?? path)}</a>`,
          )
          .join(""),
    )
    .join("");
  const operations = [...byTag.entries()]
    .map(
      ([tag, ops]) =>
        `<h2>${escapeHtml(tag)}</h2>` +
        ops
          .map(({ method, path, op }) => {
            const parameters =
              op.parameters === undefined || op.parameters.length === 0
                ? ""
                : `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Required</th><th>Description</th></tr>${op.parameters
                    .map(
                      (p) =>
                        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required === true ? "yes" : "no"}</td><td>${prose(p.description ?? "")}</td></tr>`,
                    )
                    .join("")}</table>`;
            const body =
              op.requestBody === undefined
                ? ""
                : `<h4>Request body</h4>${op.requestBody.description === undefined ? "" : `<p>${prose(op.requestBody.description)}</p>`}${Object.entries(
                    op.requestBody.content ?? {},
                  )
                    .map(
                      ([mediaType, c]) =>
                        `<details><summary><code>${escapeHtml(mediaType)}</code></summary>${c.schema === undefined ? "" : `<pre>${json(c.schema)}</pre>`}${c.example === undefined ? "" : `<p>Example:</p><pre>${json(c.example)}</pre>`}</details>`,
                    )
                    .join("")}`;
            const responses = `<h4>Responses</h4><table><tr><th>Status</th><th>Meaning</th><th>Headers</th><th>Body</th></tr>${Object.entries(
              op.responses ?? {},
            )
              .map(
                ([status, r]) =>
                  `<tr><td><b>${escapeHtml(status)}</b></td><td>${prose(r.description ?? "")}</td><td>${Object.entries(
                    r.headers ?? {},
                  )
                    .map(([h, d]) => `<code>${escapeHtml(h)}</code>: ${prose(d.description ?? "")}`)
                    .join("<br>")}</td><td>${Object.keys(r.content ?? {})
                    .map((m) => `<code>${escapeHtml(m)}</code>`)
                    .join(", ")}</td></tr>`,
              )
              .join("")}</table>`;
            const auth =
              op.security !== undefined && op.security.length === 0
                ? `<span class="pub">public</span>`
                : `<span class="lock">requires Bearer or Basic credentials</span>`;
            return `<section class="op" id="${anchorOf(method, path)}"><div><span class="m ${method}">${method}</span> <code>${escapeHtml(path)}</code> ${auth}</div><h3>${escapeHtml(op.summary ?? "")}</h3>${op.description === undefined ? "" : `<p>${prose(op.description)}</p>`}${parameters}${body}${responses}</section>`;
          })
          .join(""),
    )
    .join("");
  const problems = `<h2 id="problems">Problem types</h2><p>Every error is answered as <code>application/problem+json</code> (RFC 9457) with <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code>; validation problems list each offending field in <code>errors</code> as <code>{field, expected, actual}</code>. The license face (<code>/v6</code>) adds the vendor's <code>message</code> and <code>errorCode</code>.</p><table><tr><th>Type</th><th>Status</th><th>Title</th><th>Meaning</th></tr>${Object.entries(
    problemKinds,
  )
    .map(
      ([kind, p]) =>
        `<tr id="problem-${kind}"><td><code>/docs#problem-${kind}</code></td><td>${p.status}</td><td>${escapeHtml(p.title)}</td><td>${prose(p.meaning)}</td></tr>`,
    )
    .join("")}</table>`;
  const schemaList = `<h2 id="schemas">Schemas</h2>${Object.entries(schemas)
    .map(
      ([name, s]) =>
        `<details id="schema-${escapeHtml(name)}"><summary><code>${escapeHtml(name)}</code></summary><pre>${json(s)}</pre></details>`,
    )
    .join("")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} — API reference</title><style>${style}</style></head>
<body><header><h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1><p>${prose(info.description)}</p>
<p>Machine-readable: <a style="color:#9cf" href="/openapi.json">/openapi.json</a> (OpenAPI 3.1)</p></header>
<main><nav><h3>Reference</h3><a href="#problems">Problem types</a><a href="#schemas">Schemas</a>${nav}</nav>
<div style="flex:1;min-width:0">${operations}${problems}${schemaList}</div></main></body></html>`;
};
