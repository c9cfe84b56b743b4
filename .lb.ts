import fs from "node:fs"; import os from "node:os"; import path from "node:path";
import { asc, inArray } from "drizzle-orm";
import { openDb } from "@/db/client";
import { spans, traces } from "@/db/schema";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { createExperiment } from "@/lib/experiments";
import { storeSpans, type IncomingSpan } from "@/lib/ingest";
import { loadAssessmentsByTrace, traceDataFromRows, type SpanRow } from "@/lib/mlflow/convert";
import { loadTraceBatch } from "@/lib/engine/trace-batch";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-lb-")); const file = path.join(dir, "v.db");
const db = openDb(file);
const ctx: Ctx = { db, config: parseConfig({ DATABASE_URL: file }), actor: systemActor, now: Date.now, fetch };
const exp = Number(createExperiment({ ctx, input: { name: "p" } }).experiment_id);
const ns=(ms:number)=>(BigInt(ms)*1000000n).toString(); const hex=(n:number,w:number)=>n.toString(16).padStart(w,"0");
const N = 20000; const sp: IncomingSpan[] = [];
for (let i=0;i<N;i++){ const t=hex(i+1,32), r=hex(2*i+1,16); const st=Date.now()-1e6+i;
 sp.push({traceIdHex:t,spanIdHex:hex(2*i+2,16),parentSpanIdHex:r,name:"retrieve",kind:1,startTimeNs:ns(st+1),endTimeNs:ns(st+40),statusCode:"STATUS_CODE_OK",statusMessage:"",attributes:{"mlflow.spanType":'"RETRIEVER"'},events:[]});
 sp.push({traceIdHex:t,spanIdHex:r,parentSpanIdHex:null,name:"agent",kind:1,startTimeNs:ns(st),endTimeNs:ns(st+900),statusCode:"STATUS_CODE_OK",statusMessage:"",attributes:{"mlflow.spanType":'"AGENT"',"mlflow.spanInputs":JSON.stringify({messages:[{role:"user",content:"hi "+i}]}),"mlflow.spanOutputs":JSON.stringify({choices:[{message:{role:"assistant",content:"Your order ships tomorrow. Thanks"}}]})},events:[]}); }
for (let k=0;k<sp.length;k+=5000) storeSpans({ctx,input:{experimentId:exp,spans:sp.slice(k,k+5000)}});
const ids = (db.$client.prepare("select trace_id from traces").all() as any[]).map(r=>r.trace_id);
function old(ids: string[]) { const out = new Map();
  for (let i = 0; i < ids.length; i += 500) { const chunk = ids.slice(i, i+500);
    const rows = db.select().from(traces).where(inArray(traces.traceId, chunk)).all(); const tr = new Map(rows.map(r=>[r.traceId,r]));
    const ab = loadAssessmentsByTrace(db, chunk);
    const spanRows = db.select().from(spans).where(inArray(spans.traceId, chunk)).orderBy(asc(spans.traceId), asc(spans.startMs), asc(spans.spanId)).all();
    const byTrace = new Map<string, SpanRow[]>(); for (const s of spanRows) { const l = byTrace.get(s.traceId); if (l) l.push(s); else byTrace.set(s.traceId,[s]); }
    for (const id of chunk) out.set(id, traceDataFromRows(tr.get(id)!, byTrace.get(id) ?? [], ab.get(id) ?? []));
  } return out; }
for (let r=0;r<3;r++){
let t=performance.now(); const a=old(ids); const to=performance.now()-t;
t=performance.now(); const b=loadTraceBatch(db, ids); const tn=performance.now()-t;
console.log("old", to.toFixed(0), "new", tn.toFixed(0), JSON.stringify([...a.values()][5])===JSON.stringify([...b.values()][5]));
}
fs.rmSync(dir,{recursive:true});
