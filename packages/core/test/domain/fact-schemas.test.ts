import { Effect, Result, Schema } from "effect";
import { describe, expect, it } from "vitest";
import {
  ForbiddenError,
  IssuedToken,
  LicenseEvent,
  NotFoundError,
  ValidationError,
} from "../../src/index.ts";

const decodes = <S extends Schema.Top & { readonly DecodingServices: never }>(
  schema: S,
  value: unknown,
): boolean => Result.isSuccess(Schema.decodeUnknownResult(schema)(value));

describe("the stored facts' schemas", () => {
  it("issue access and refresh tokens, and no other kind", () => {
    const token = { tokenHash: "h", username: "ada", expiresAt: 0 };
    expect(decodes(IssuedToken, { ...token, kind: "access" })).toBe(true);
    expect(decodes(IssuedToken, { ...token, kind: "refresh" })).toBe(true);
    expect(decodes(IssuedToken, { ...token, kind: "" })).toBe(false);
    expect(decodes(IssuedToken, { ...token, kind: "bearer" })).toBe(false);
  });

  it("know a license as assigned or revoked, and nothing else", () => {
    const event = { id: "e1", userId: "u1", at: 0 };
    expect(decodes(LicenseEvent, { ...event, kind: "assigned" })).toBe(true);
    expect(decodes(LicenseEvent, { ...event, kind: "revoked" })).toBe(true);
    expect(decodes(LicenseEvent, { ...event, kind: "" })).toBe(false);
    expect(decodes(LicenseEvent, { ...event, kind: "granted" })).toBe(false);
  });
});

describe("the core's error tags", () => {
  it("let a caller handle a validation error, a missing resource and a refusal by their tags", async () => {
    const handled = (error: ValidationError | NotFoundError | ForbiddenError) =>
      Effect.runPromise(
        Effect.fail(error).pipe(
          Effect.catchTags({
            ValidationError: () => Effect.succeed("400"),
            NotFoundError: () => Effect.succeed("404"),
            ForbiddenError: () => Effect.succeed("403"),
          }),
        ),
      );
    expect(await handled(ValidationError.single("f", "x", "y"))).toBe("400");
    expect(await handled(new NotFoundError({ resource: "task", id: "t" }))).toBe("404");
    expect(await handled(new ForbiddenError({ reason: "no" }))).toBe("403");
  });
});
