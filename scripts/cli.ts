// Vigil's command line (`npx vigil ...`, launched by bin/vigil.mjs). It talks to a running Vigil
// over REST, so it works the same against a laptop and a deployment.
//   vigil scorers apply <config.ts> [--url URL] [--token TOKEN] [--dry-run]
//   vigil scorers list --experiment NAME_OR_ID [--url URL] [--token TOKEN]
//   vigil scorers pause <name> --experiment NAME_OR_ID [--reason TEXT] [--url URL] [--token TOKEN]
//   vigil scorers resume <name> --experiment NAME_OR_ID [--url URL] [--token TOKEN]
import { parseArgs } from "node:util";
import { formatRate } from "@/lib/monitoring/apply-plan";
import { InvalidParameterError } from "@/lib/core/errors";
import { applyCommand } from "./cli/apply";
import { RestClient, RestError } from "./cli/rest";

const DEFAULT_URL = "http://127.0.0.1:3000";

const USAGE = `Usage:
  vigil scorers apply <scorers.config.ts> [--url URL] [--token TOKEN] [--dry-run]
      Print the plan (new / changed / unchanged, rate and filter changes), then apply it.
  vigil scorers list --experiment NAME_OR_ID [--url URL] [--token TOKEN]
  vigil scorers pause <name> --experiment NAME_OR_ID [--reason TEXT] [--url URL] [--token TOKEN]
  vigil scorers resume <name> --experiment NAME_OR_ID [--url URL] [--token TOKEN]

Options:
  --url URL      Vigil's address (default ${DEFAULT_URL})
  --token TOKEN  an API token (Bearer); its role must allow the change
  --dry-run      apply: print the plan only`;

class UsageError extends Error {}

interface VigilScorerJson {
  name: string;
  version: number;
  status: string;
  sample_rate: number;
  filter_string: string | null;
  runnable: boolean;
  not_runnable_reason?: string;
  paused_reason?: string;
}

async function experimentId(rest: RestClient, sel: string): Promise<string> {
  if (/^\d+$/.test(sel)) return sel;
  const r = await rest.get<{ experiment: { experiment_id: string } }>("/api/2.0/mlflow/experiments/get-by-name", { experiment_name: sel });
  return r.experiment.experiment_id;
}

function describe(s: VigilScorerJson, width = s.name.length): string {
  const status = s.status === "PAUSED" ? `PAUSED (${s.paused_reason})` : s.status;
  const filter = s.filter_string === null ? "every trace" : JSON.stringify(s.filter_string);
  const runnable = s.runnable ? "" : `  not runnable here: ${s.not_runnable_reason}`;
  return `  ${s.name.padEnd(width)}  v${s.version}  ${status.padEnd(8)}  rate ${formatRate(s.sample_rate)}, filter ${filter}${runnable}`;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string", default: DEFAULT_URL },
      token: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      experiment: { type: "string" },
      reason: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [group, command, arg] = positionals;
  if (values.help || !group) {
    console.log(USAGE);
    return;
  }
  if (group !== "scorers" || !command) throw new UsageError(`Unknown command '${positionals.join(" ")}'.`);
  const out = (line: string) => console.log(line);
  const rest = new RestClient({ url: values.url, token: values.token });
  const needExperiment = () => {
    if (!values.experiment) throw new UsageError(`'scorers ${command}' needs --experiment NAME_OR_ID.`);
    return experimentId(rest, values.experiment);
  };
  switch (command) {
    case "apply":
      if (!arg) throw new UsageError("'scorers apply' needs a config file, e.g. scorers.config.ts.");
      return applyCommand({ file: arg, url: values.url, token: values.token, dryRun: values["dry-run"], out });
    case "list": {
      const { scorers } = await rest.get<{ scorers: VigilScorerJson[] }>("/api/v1/scorers", { experiment_id: await needExperiment() });
      if (scorers.length === 0) out("No scorers registered.");
      const width = Math.max(...scorers.map((s) => s.name.length));
      for (const s of scorers) out(describe(s, width));
      return;
    }
    case "pause":
    case "resume": {
      if (!arg) throw new UsageError(`'scorers ${command}' needs a scorer name.`);
      const body = { experiment_id: await needExperiment(), ...(values.reason ? { reason: values.reason } : {}) };
      const { scorer } = await rest.post<{ scorer: VigilScorerJson }>(`/api/v1/scorers/${encodeURIComponent(arg)}/${command}`, body);
      out(describe(scorer));
      return;
    }
    default:
      throw new UsageError(`Unknown command 'scorers ${command}'.`);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`vigil: ${(e as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (e instanceof RestError) console.error(`vigil: ${e.message}${e.status ? ` (${e.errorCode}, HTTP ${e.status})` : ""}`);
    else if (e instanceof InvalidParameterError) console.error(`vigil: ${e.message}`);
    else console.error(`vigil: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
