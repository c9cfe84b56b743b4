import { describe, expect, it } from "vitest";
import type { Clause } from "./ast";
import { parseFilter } from "./parse";

describe("parseFilter: fields and operators", () => {
  it.each<[string, Clause]>([
    // trace.status and its aliases
    ["trace.status = 'OK'", { kind: "status", op: "=", value: "OK" }],
    ["attributes.status != 'ERROR'", { kind: "status", op: "!=", value: "ERROR" }],
    ["attribute.status = 'IN_PROGRESS'", { kind: "status", op: "=", value: "IN_PROGRESS" }],
    ["status = 'STATE_UNSPECIFIED'", { kind: "status", op: "=", value: "STATE_UNSPECIFIED" }],
    ["trace.status IN ('OK', 'ERROR')", { kind: "status", op: "IN", value: ["OK", "ERROR"] }],
    ["trace.status NOT IN ('OK')", { kind: "status", op: "NOT IN", value: ["OK"] }],
    // numeric fields, every comparison, aliases, decimals, negatives, quoted numbers
    ["trace.timestamp_ms = 1700000000000", { kind: "numeric", field: "timestamp_ms", op: "=", value: 1700000000000 }],
    ["trace.timestamp > 5", { kind: "numeric", field: "timestamp_ms", op: ">", value: 5 }],
    ["timestamp_ms != 5", { kind: "numeric", field: "timestamp_ms", op: "!=", value: 5 }],
    ["trace.execution_time_ms < 1000", { kind: "numeric", field: "execution_time_ms", op: "<", value: 1000 }],
    ["attributes.execution_time <= 2.5", { kind: "numeric", field: "execution_time_ms", op: "<=", value: 2.5 }],
    ["trace.end_time_ms >= -1", { kind: "numeric", field: "end_time_ms", op: ">=", value: -1 }],
    ["trace.execution_time_ms > '1500'", { kind: "numeric", field: "execution_time_ms", op: ">", value: 1500 }],
    ["trace.timestamp_ms>=10", { kind: "numeric", field: "timestamp_ms", op: ">=", value: 10 }],
    // trace string fields
    ["trace.name = 'chat'", { kind: "trace_string", field: "name", op: "=", value: "chat" }],
    ["name != 'chat'", { kind: "trace_string", field: "name", op: "!=", value: "chat" }],
    ["trace.name LIKE 'Gen%'", { kind: "trace_string", field: "name", op: "LIKE", value: "Gen%" }],
    ["trace.name ILIKE '%gen%'", { kind: "trace_string", field: "name", op: "ILIKE", value: "%gen%" }],
    ["trace.name RLIKE '^Gen[RE]'", { kind: "trace_string", field: "name", op: "RLIKE", value: "^Gen[RE]" }],
    ["trace.client_request_id = 'req-1'", { kind: "trace_string", field: "client_request_id", op: "=", value: "req-1" }],
    ["trace.client_request_id ILIKE '%ABC%'", { kind: "trace_string", field: "client_request_id", op: "ILIKE", value: "%ABC%" }],
    ["request_id IN ('tr-1', 'tr-2')", { kind: "trace_string", field: "request_id", op: "IN", value: ["tr-1", "tr-2"] }],
    ["trace.run_id = 'run-1'", { kind: "metadata", key: "mlflow.sourceRun", op: "=", value: "run-1" }],
    // spans
    ["span.name = 'search_web'", { kind: "span", field: "name", op: "=", value: "search_web" }],
    ["span.name != 'x'", { kind: "span", field: "name", op: "!=", value: "x" }],
    ["span.name LIKE 'llm.%'", { kind: "span", field: "name", op: "LIKE", value: "llm.%" }],
    ["span.type ILIKE 'llm'", { kind: "span", field: "type", op: "ILIKE", value: "llm" }],
    ["span.type RLIKE 'RETRIEVER|TOOL'", { kind: "span", field: "type", op: "RLIKE", value: "RETRIEVER|TOOL" }],
    ["span.type NOT IN ('LLM', 'AGENT')", { kind: "span", field: "type", op: "NOT IN", value: ["LLM", "AGENT"] }],
    ["span.attributes.model LIKE '%gpt%'", { kind: "span_attribute", key: "model", op: "LIKE", value: "%gpt%" }],
    ["span.attributes.model ILIKE '%GPT%'", { kind: "span_attribute", key: "model", op: "ILIKE", value: "%GPT%" }],
    ["span.attributes.model = 'gpt-4o'", { kind: "span_attribute", key: "model", op: "=", value: "gpt-4o" }],
    ["span.attributes.model != 'gpt-4o'", { kind: "span_attribute", key: "model", op: "!=", value: "gpt-4o" }],
    ["span.attributes.similarity.threshold LIKE '%0.8%'", { kind: "span_attribute", key: "similarity.threshold", op: "LIKE", value: "%0.8%" }],
    ["span.attributes.`gen_ai.request.model` = 'x'", { kind: "span_attribute", key: "gen_ai.request.model", op: "=", value: "x" }],
    // tags and metadata
    ["tag.env = 'prod'", { kind: "tag", key: "env", op: "=", value: "prod" }],
    ["tags.env != 'prod'", { kind: "tag", key: "env", op: "!=", value: "prod" }],
    ["tag.env LIKE 'prod%'", { kind: "tag", key: "env", op: "LIKE", value: "prod%" }],
    ["tag.env ILIKE 'PROD%'", { kind: "tag", key: "env", op: "ILIKE", value: "PROD%" }],
    ["tag.env RLIKE '^prod'", { kind: "tag", key: "env", op: "RLIKE", value: "^prod" }],
    ["tag.env IS NULL", { kind: "tag", key: "env", op: "IS NULL" }],
    ["tag.env IS NOT NULL", { kind: "tag", key: "env", op: "IS NOT NULL" }],
    ["tag.`my-key` = 'v'", { kind: "tag", key: "my-key", op: "=", value: "v" }],
    ["tags.`mlflow.traceName` = 'v'", { kind: "tag", key: "mlflow.traceName", op: "=", value: "v" }],
    ["metadata.`mlflow.sourceRun` IS NULL", { kind: "metadata", key: "mlflow.sourceRun", op: "IS NULL" }],
    ["metadata.`mlflow.trace.user` = 'alice'", { kind: "metadata", key: "mlflow.trace.user", op: "=", value: "alice" }],
    ["request_metadata.a LIKE '%'", { kind: "metadata", key: "a", op: "LIKE", value: "%" }],
    ["metadata.region IS NOT NULL", { kind: "metadata", key: "region", op: "IS NOT NULL" }],
    // assessments
    ["feedback.correctness = 'yes'", { kind: "feedback", key: "correctness", op: "=", value: "yes" }],
    ["feedback.correctness != 'no'", { kind: "feedback", key: "correctness", op: "!=", value: "no" }],
    ["feedback.comment LIKE '%helpful%'", { kind: "feedback", key: "comment", op: "LIKE", value: "%helpful%" }],
    ["feedback.comment RLIKE 'Great.*helpful'", { kind: "feedback", key: "comment", op: "RLIKE", value: "Great.*helpful" }],
    ["feedback.quality IS NOT NULL", { kind: "feedback", key: "quality", op: "IS NOT NULL" }],
    ["expectation.output_format ILIKE '%json%'", { kind: "expectation", key: "output_format", op: "ILIKE", value: "%json%" }],
    ["expectation.`expected.facts` IS NULL", { kind: "expectation", key: "expected.facts", op: "IS NULL" }],
    // full text
    ["trace.text LIKE '%MLflow%'", { kind: "text", op: "LIKE", value: "%MLflow%" }],
    ["trace.text ILIKE '%mlflow%'", { kind: "text", op: "ILIKE", value: "%mlflow%" }],
  ])("%s", (filter, clause) => {
    expect(parseFilter(filter)).toEqual({ clauses: [clause] });
  });
});

describe("parseFilter: lexical details", () => {
  it.each<[string, Clause]>([
    // both quote styles, escapes of the quote and of backslash; other backslashes stay (regexes)
    [`tag.a = "double"`, { kind: "tag", key: "a", op: "=", value: "double" }],
    [`tag.a = 'it\\'s'`, { kind: "tag", key: "a", op: "=", value: "it's" }],
    [`tag.a = "say \\"hi\\""`, { kind: "tag", key: "a", op: "=", value: 'say "hi"' }],
    [`tag.a = 'mixed "quotes"'`, { kind: "tag", key: "a", op: "=", value: 'mixed "quotes"' }],
    [`tag.a = "it's"`, { kind: "tag", key: "a", op: "=", value: "it's" }],
    [`tag.a = 'back\\\\slash'`, { kind: "tag", key: "a", op: "=", value: "back\\slash" }],
    [`span.name RLIKE '^llm\\.\\d+'`, { kind: "span", field: "name", op: "RLIKE", value: "^llm\\.\\d+" }],
    [`tag.a = ''`, { kind: "tag", key: "a", op: "=", value: "" }],
    [`tag.a = 'AND OR = !='`, { kind: "tag", key: "a", op: "=", value: "AND OR = !=" }],
    [`tag.a = 'ünïcødé 🚀'`, { kind: "tag", key: "a", op: "=", value: "ünïcødé 🚀" }],
    // backticked keys keep dots, spaces and quotes; a backticked prefix is allowed as in MLflow
    ["tag.`key with spaces` = 'v'", { kind: "tag", key: "key with spaces", op: "=", value: "v" }],
    ["tag.`it's` = 'v'", { kind: "tag", key: "it's", op: "=", value: "v" }],
    ["`tags`.`env` = 'v'", { kind: "tag", key: "env", op: "=", value: "v" }],
    ["tag.a.`b.c` = 'v'", { kind: "tag", key: "a.b.c", op: "=", value: "v" }],
    // keywords, prefixes and trace field names are case-insensitive; keys are not
    ["TRACE.STATUS = 'OK'", { kind: "status", op: "=", value: "OK" }],
    ["Tag.Env like 'x'", { kind: "tag", key: "Env", op: "LIKE", value: "x" }],
    ["tag.env iLiKe 'x'", { kind: "tag", key: "env", op: "ILIKE", value: "x" }],
    ["tag.env rlike 'x'", { kind: "tag", key: "env", op: "RLIKE", value: "x" }],
    ["tag.env is not null", { kind: "tag", key: "env", op: "IS NOT NULL" }],
    ["tag.env Is Null", { kind: "tag", key: "env", op: "IS NULL" }],
    ["status not in ('OK')", { kind: "status", op: "NOT IN", value: ["OK"] }],
    ["  \n\ttag.env\t=\n'x'  ", { kind: "tag", key: "env", op: "=", value: "x" }],
  ])("%s", (filter, clause) => {
    expect(parseFilter(filter)).toEqual({ clauses: [clause] });
  });

  it.each([[null], [undefined], [""], ["   \n\t "]])("treats %j as match-all", (f) => {
    expect(parseFilter(f)).toEqual({ clauses: [] });
  });

  it("joins clauses with AND in any letter case, keeping their order", () => {
    expect(parseFilter("trace.status = 'OK' AND tag.env = 'prod' and span.type = 'LLM' AnD trace.timestamp_ms > 5")).toEqual({
      clauses: [
        { kind: "status", op: "=", value: "OK" },
        { kind: "tag", key: "env", op: "=", value: "prod" },
        { kind: "span", field: "type", op: "=", value: "LLM" },
        { kind: "numeric", field: "timestamp_ms", op: ">", value: 5 },
      ],
    });
  });

  it("keeps repeated and contradictory clauses (AND semantics decide)", () => {
    expect(parseFilter("span.type = 'LLM' AND span.type = 'TOOL'").clauses).toHaveLength(2);
  });
});
