// The one time parser lives in lib/core/time.ts; metrics, archive and jobs import it from here too.
export { timeMs } from "@/lib/core/time";
