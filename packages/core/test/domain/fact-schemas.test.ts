import { Effect, Schema } from "effect";
import { describe, expect, it } from "vitest";
import {
  ForbiddenError,
  IssuedToken,
  LicenseEvent,
  NotFoundError,
  ValidationError,
} from "../../src/index.ts";

const decoded = <S extends Schema.Top & { readonly DecodingServices: never }>(
  schema: S,
  value: unknown,
) => Schema.decodeUnknownResult(schema)(value);

describe("the stored facts' schemas", () => {
  it("issue access and refresh tokens, and no other kind", () => {
    const token = { tokenHash: "h", username: "ada", expiresAt: 0 };
    expect(decoded(IssuedToken, { ...token, kind: "access" })).toMatchObject({ _tag: "Success" });
    expect(decoded(IssuedToken, { ...token, kind: "refresh" })).toMatchObject({ _tag: "Success" });
    expect(decoded(IssuedToken, { ...token, kind: "" })).toMatchObject({ _tag: "Failure" });
    expect(decoded(IssuedToken, { ...token, kind: "bearer" })).toMatchObject({ _tag: "Failure" });
  });

  it("know a license as assigned or revoked, and nothing else", () => {
    const event = { id: "e1", userId: "u1", at: 0 };
    expect(decoded(LicenseEvent, { ...event, kind: "assigned" })).toMatchObject({
      _tag: "Success",
    });
    expect(decoded(LicenseEvent, { ...event, kind: "revoked" })).toMatchObject({ _tag: "Success" });
    expect(decoded(LicenseEvent, { ...event, kind: "" })).toMatchObject({ _tag: "Failure" });
    expect(decoded(LicenseEvent, { ...event, kind: "granted" })).toMatchObject({ _tag: "Failure" });
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
