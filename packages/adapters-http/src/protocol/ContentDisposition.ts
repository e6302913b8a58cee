/**
 * `Content-Disposition: attachment` with a file name (RFC 6266): an ASCII `filename` for old
 * clients and, when the name is not plain ASCII, a UTF-8 `filename*` (RFC 8187).
 */

const attrChar = /[A-Za-z0-9!#$&+\-.^_`|~]/;

const percentEncode = (name: string): string => {
  let out = "";
  for (const byte of new TextEncoder().encode(name)) {
    const ch = String.fromCharCode(byte);
    out +=
      byte < 0x80 && attrChar.test(ch)
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
};

/** The header value that makes a client save the body under `fileName`. */
export const attachment = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const plain = `attachment; filename="${ascii}"`;
  return ascii === fileName ? plain : `${plain}; filename*=UTF-8''${percentEncode(fileName)}`;
};
