import Link from "next/link";

export default function NotFound() {
  return (
    <div className="empty" role="status">
      <h3>Not found</h3>
      <p>
        This experiment, trace or scorer does not exist (or was deleted). <Link href="/">Back to experiments</Link>
      </p>
    </div>
  );
}
