// How the worker process is started (npm start, the benchmarks): Node flags beside the script.
// The engine allocates many short-lived objects per batch (rows, traces, results): a larger
// young generation makes fewer scavenges (measured: ~11% less CPU per scorer run on one thread).
export const WORKER_NODE_ARGS = ["--max-semi-space-size=32", "--import", "tsx", "scripts/worker.ts"];
