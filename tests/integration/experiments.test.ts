import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { addToken, api } from "./mlflow.helpers";

const E = "/api/2.0/mlflow/experiments";

describe("MLflow experiments REST", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it("creates an experiment with the next id and answers it by id and by name", async () => {
    const c = await api(s, "POST", `${E}/create`, { name: "prod-agent", tags: [{ key: "team", value: "ml" }] });
    expect(c.status).toBe(200);
    expect(c.json).toEqual({ experiment_id: "1" });

    const byId = await api(s, "GET", `${E}/get?experiment_id=1`);
    expect(byId.status).toBe(200);
    expect(byId.json.experiment).toMatchObject({
      experiment_id: "1",
      name: "prod-agent",
      lifecycle_stage: "active",
      tags: [{ key: "team", value: "ml" }],
    });
    expect(typeof byId.json.experiment.creation_time).toBe("number");
    expect(typeof byId.json.experiment.last_update_time).toBe("number");

    const byName = await api(s, "GET", `${E}/get-by-name?experiment_name=prod-agent`);
    expect(byName.json.experiment).toEqual(byId.json.experiment);

    const second = await api(s, "POST", `${E}/create`, { name: "second" });
    expect(second.json.experiment_id).toBe("2");
  });

  it("answers the Default experiment 0", async () => {
    const r = await api(s, "GET", `${E}/get?experiment_id=0`);
    expect(r.json.experiment).toMatchObject({ experiment_id: "0", name: "Default" });
  });

  it("refuses a duplicate name with RESOURCE_ALREADY_EXISTS (400) and an empty name with 400", async () => {
    await api(s, "POST", `${E}/create`, { name: "dup" });
    const again = await api(s, "POST", `${E}/create`, { name: "dup" });
    expect(again.status).toBe(400);
    expect(again.json.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    const empty = await api(s, "POST", `${E}/create`, { name: "  " });
    expect(empty.status).toBe(400);
    expect(empty.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    const missing = await api(s, "POST", `${E}/create`, {});
    expect(missing.status).toBe(400);
    expect(missing.json.message).toContain("name");
  });

  it("answers unknown experiments with RESOURCE_DOES_NOT_EXIST (404)", async () => {
    const byId = await api(s, "GET", `${E}/get?experiment_id=9999`);
    expect(byId.status).toBe(404);
    expect(byId.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    const byName = await api(s, "GET", `${E}/get-by-name?experiment_name=nope`);
    expect(byName.status).toBe(404);
    expect(byName.json.message).toBe("Could not find experiment with name 'nope'");
    const badId = await api(s, "GET", `${E}/get?experiment_id=abc`);
    expect(badId.status).toBe(400);
  });

  it("refuses malformed JSON and non-JSON content types with 400", async () => {
    const bad = await api(s, "POST", `${E}/create`, "{not json");
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: "Request body is not valid JSON." });
    const text = await api(s, "POST", `${E}/create`, "name=x", { "content-type": "text/plain" });
    expect(text.status).toBe(400);
  });

  it("searches by name (=, LIKE, ILIKE) and tags, over POST and GET", async () => {
    for (const name of ["search-alpha", "search-beta", "Search-Gamma"]) await api(s, "POST", `${E}/create`, { name });
    await api(s, "POST", `${E}/create`, { name: "search-tagged", tags: [{ key: "env", value: "prod" }] });

    const eq = await api(s, "POST", `${E}/search`, { filter: "name = 'search-alpha'" });
    expect(eq.json.experiments.map((e: { name: string }) => e.name)).toEqual(["search-alpha"]);

    const like = await api(s, "POST", `${E}/search`, { filter: "name LIKE 'search-%'", order_by: ["name ASC"] });
    expect(like.json.experiments.map((e: { name: string }) => e.name)).toEqual(["search-alpha", "search-beta", "search-tagged"]);

    const ilike = await api(s, "GET", `${E}/search?filter=${encodeURIComponent("name ILIKE '%gamma'")}`);
    expect(ilike.json.experiments.map((e: { name: string }) => e.name)).toEqual(["Search-Gamma"]);

    const tagged = await api(s, "POST", `${E}/search`, { filter: "tags.env = 'prod' AND name LIKE '%tagged'" });
    expect(tagged.json.experiments.map((e: { name: string }) => e.name)).toEqual(["search-tagged"]);

    const bad = await api(s, "POST", `${E}/search`, { filter: "name ~ 'x'" });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain("position");
  });

  it("pages through experiments with tokens and honours order_by", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const r = await api(s, "POST", `${E}/search`, { max_results: 2, order_by: ["experiment_id ASC"], page_token: token });
      expect(r.status).toBe(200);
      seen.push(...r.json.experiments.map((e: { experiment_id: string }) => e.experiment_id));
      token = r.json.next_page_token;
    } while (token);
    expect(seen).toEqual([...seen].sort((a, b) => Number(a) - Number(b)));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[0]).toBe("0");

    const desc = await api(s, "POST", `${E}/search`, {});
    const ids = desc.json.experiments.map((e: { experiment_id: string }) => Number(e.experiment_id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    expect((await api(s, "POST", `${E}/search`, { page_token: "garbage" })).status).toBe(400);
    expect((await api(s, "POST", `${E}/search`, { max_results: 50001 })).status).toBe(400);
    expect((await api(s, "POST", `${E}/search`, { order_by: ["color DESC"] })).status).toBe(400);
  });

  it("deletes (soft), hides from search, restores, and renames", async () => {
    const { json } = await api(s, "POST", `${E}/create`, { name: "to-delete" });
    const id = json.experiment_id as string;
    expect((await api(s, "POST", `${E}/delete`, { experiment_id: id })).status).toBe(200);
    const got = await api(s, "GET", `${E}/get?experiment_id=${id}`);
    expect(got.json.experiment.lifecycle_stage).toBe("deleted");
    const active = await api(s, "POST", `${E}/search`, { filter: "name = 'to-delete'" });
    expect(active.json.experiments).toEqual([]);
    expect((await api(s, "GET", `${E}/search?view_type=2&filter=${encodeURIComponent("name = 'to-delete'")}`)).json.experiments).toHaveLength(1);
    const deleted = await api(s, "POST", `${E}/search`, { filter: "name = 'to-delete'", view_type: "DELETED_ONLY" });
    expect(deleted.json.experiments).toHaveLength(1);
    expect((await api(s, "POST", `${E}/create`, { name: "to-delete" })).json.error_code).toBe("RESOURCE_ALREADY_EXISTS");

    expect((await api(s, "POST", `${E}/restore`, { experiment_id: id })).status).toBe(200);
    expect((await api(s, "POST", `${E}/update`, { experiment_id: id, new_name: "renamed" })).status).toBe(200);
    expect((await api(s, "GET", `${E}/get?experiment_id=${id}`)).json.experiment).toMatchObject({ name: "renamed", lifecycle_stage: "active" });
    const clash = await api(s, "POST", `${E}/update`, { experiment_id: id, new_name: "dup" });
    expect(clash.json.error_code).toBe("RESOURCE_ALREADY_EXISTS");

    const zero = await api(s, "POST", `${E}/delete`, { experiment_id: "0" });
    expect(zero.status).toBe(400);
    expect((await api(s, "POST", `${E}/delete`, { experiment_id: "424242" })).status).toBe(404);
  });

  it("checks roles: viewers read, operators create, only admins delete; ingest tokens may resolve experiments", async () => {
    const viewer = addToken(s, "viewer");
    const operator = addToken(s, "operator");
    const ingest = addToken(s, "ingest", 1);
    expect((await api(s, "GET", `${E}/get?experiment_id=1`, undefined, viewer)).status).toBe(200);
    const denied = await api(s, "POST", `${E}/create`, { name: "by-viewer" }, viewer);
    expect(denied.status).toBe(403);
    expect(denied.json.error_code).toBe("PERMISSION_DENIED");
    expect((await api(s, "POST", `${E}/create`, { name: "by-operator" }, operator)).status).toBe(200);
    expect((await api(s, "POST", `${E}/delete`, { experiment_id: "2" }, operator)).status).toBe(403);
    expect((await api(s, "GET", `${E}/get-by-name?experiment_name=prod-agent`, undefined, ingest)).status).toBe(200);
    expect((await api(s, "GET", `${E}/get?experiment_id=2`, undefined, ingest)).status).toBe(403);
  });
});
