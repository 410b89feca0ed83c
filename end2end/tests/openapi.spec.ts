// The HTTP API's OpenAPI document (docs/api.md) is valid OpenAPI, checked
// by someone else's validator (@apidevtools/swagger-parser), as the server
// serves it.
import SwaggerParser from "@apidevtools/swagger-parser";
import { test, expect } from "./fixtures";

test("the OpenAPI document is valid and describes the import calls", async ({ request }, info) => {
  test.skip(info.project.name !== "desktop", "the same document whatever the screen");
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const document = await response.json();
  const api = await SwaggerParser.validate(document);
  expect(Object.keys(api.paths ?? {})).toEqual(expect.arrayContaining(["/api/v1/imports", "/api/v1/imports/{id}"]));
});
