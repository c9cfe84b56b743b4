// Only the home page streams behind a skeleton: a loading boundary above the experiment layout
// would send 200 before the layout can answer 404 for a missing experiment.
import { PageSkeleton } from "@/components/skeleton";

export default function Loading() {
  return <PageSkeleton />;
}
