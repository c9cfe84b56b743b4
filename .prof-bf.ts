import fs from "node:fs"; import os from "node:os"; import path from "node:path";
import { openDb } from "@/db/client";
import { onlineConfigs, scorers, scorerVersions } from "@/db/schema";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { makeEngineCtx } from "@/lib/engine/engine-context";
import { createBackfillJob } from "@/lib/engine";
import { jobStep } from "@/lib/engine/jobs/job-step";
import { createExperiment } from "@/lib/experiments";
import { storeSpans, type IncomingSpan } from "@/lib/ingest";
import { serializeBuiltin } from "@/scorers";
const N = Number(process.argv[2] ?? 100000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-prof-")); const file = path.join(dir, "v.db");
const db = openDb(file);
const ctx: Ctx = { db, config: parseConfig({ DATABASE_URL: file }), actor: systemActor, now: Date.now, fetch };
const exp = Number(createExperiment({ ctx, input: { name: "p" } }).experiment_id);
const S = [["length","ResponseLength",{max:2000}],["no_sorry","KeywordAbsent",{keywords:["sorry"]}],["pii","PIILeak",{}]] as const;
for (const [n,c,p] of S) { const id=`sc-${n}`; db.insert(scorers).values({scorerId:id,experimentId:exp,name:n,createdAt:1}).run(); db.insert(scorerVersions).values({scorerId:id,version:1,serializedScorer:serializeBuiltin({name:n,className:c,params:p as any}),creationTime:1}).run(); db.insert(onlineConfigs).values({onlineScoringConfigId:id,scorerId:id,sampleRate:0,updatedAt:1}).run(); }
const ns=(ms:number)=>(BigInt(ms)*1000000n).toString(); const hex=(n:number,w:number)=>n.toString(16).padStart(w,"0");
const s0=performance.now();
for (let k=0;k<N;k+=2500){ const spans: IncomingSpan[] = [];
for (let i=k;i<Math.min(N,k+2500);i++){ const t=hex(i+1,32), r=hex(2*i+1,16); const st=Date.now()-3*86400000+i;
 spans.push({traceIdHex:t,spanIdHex:hex(2*i+2,16),parentSpanIdHex:r,name:"retrieve",kind:1,startTimeNs:ns(st+1),endTimeNs:ns(st+40),statusCode:"STATUS_CODE_OK",statusMessage:"",attributes:{"mlflow.spanType":'"RETRIEVER"'},events:[]});
 spans.push({traceIdHex:t,spanIdHex:r,parentSpanIdHex:null,name:"agent",kind:1,startTimeNs:ns(st),endTimeNs:ns(st+900),statusCode:"STATUS_CODE_OK",statusMessage:"",attributes:{"mlflow.spanType":'"AGENT"',"mlflow.spanInputs":JSON.stringify({messages:[{role:"user",content:"hi "+i}]}),"mlflow.spanOutputs":JSON.stringify({choices:[{message:{role:"assistant",content:"Your order ships tomorrow. Thanks"}}]})},events:[]}); }
storeSpans({ctx,input:{experimentId:exp,spans}}); }
db.$client.exec("DELETE FROM engine_completions");
console.log("seed", ((performance.now()-s0)/1000).toFixed(1));
const { job_id } = createBackfillJob({ ctx, input: { experiment_id: exp, scorers: S.map(([n]) => ({ name: n, sample_rate: 1 })) } });
if (process.env.CACHE) db.$client.pragma("cache_size = -" + process.env.CACHE); if (process.env.MMAP) db.$client.pragma("mmap_size = " + process.env.MMAP); if (process.env.CKPT) db.$client.pragma("wal_autocheckpoint = " + process.env.CKPT); const e = makeEngineCtx(ctx, () => {}, process.env.BATCH ? { batchSize: Number(process.env.BATCH) } : {});
const c0=process.cpuUsage(); const t0=performance.now(); while (await jobStep(e)); const c=process.cpuUsage(c0);
console.log("secs", ((performance.now()-t0)/1000).toFixed(2), "cpu", ((c.user+c.system)/1e6).toFixed(2), db.$client.prepare("select status, done, total from jobs").get());
fs.rmSync(dir,{recursive:true});
