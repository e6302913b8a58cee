/**
 * The reference of the task-read benchmark: a bare `node:http` server that answers every GET
 * with a fixed JSON body — the bytes Tally itself answered for the same task, read by the
 * benchmark and handed over in files — and the same headers, so that the comparison measures
 * what Tally does per request (routing, authentication, the task store, encoding), not a
 * different payload. No authentication, no storage, no framework.
 *
 * Run: `node bareHttpServer.ts NATIVE_BODY_FILE FACE1_BODY_FILE`; paths under `/api/` get the
 * face-1 body, every other path the native one. Prints `{"url":"http://127.0.0.1:PORT"}` once
 * listening, and stops on SIGTERM.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [nativeFile, face1File] = process.argv.slice(2);
if (nativeFile === undefined || face1File === undefined) {
  console.error("usage: bareHttpServer.ts NATIVE_BODY_FILE FACE1_BODY_FILE");
  process.exit(2);
}
const nativeBody = readFileSync(nativeFile);
const face1Body = readFileSync(face1File);

const server = createServer((request, response) => {
  const body = request.url?.startsWith("/api/") === true ? face1Body : nativeBody;
  response.writeHead(200, {
    "cache-control": "no-store",
    "content-type": "application/json; charset=utf-8",
    "content-length": body.length,
  });
  response.end(body);
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
