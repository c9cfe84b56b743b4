import { safeNextPath } from "@/lib/auth/redirect";
import { SignInForm } from "./signin-form";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <div style={{ maxWidth: 360, margin: "48px auto" }}>
      <h1>Sign in to Vigil</h1>
      <p className="sub">
        On a fresh install, use the one-time link that <code>npm start</code> printed.
      </p>
      <SignInForm next={safeNextPath(next)} />
    </div>
  );
}
