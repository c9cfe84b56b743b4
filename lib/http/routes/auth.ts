import {
  clearedSessionCookie,
  createApiToken,
  createUser,
  deleteUser,
  listApiTokens,
  listUsers,
  readCookie,
  redeemSignInLink,
  revokeApiToken,
  sessionCookie,
  SESSION_COOKIE,
  setPassword,
  setUserRole,
  signIn,
  signOut,
} from "@/lib/auth";
import { readInput } from "../body";
import type { ApiRequest, Route } from "../types";

const secure = (req: ApiRequest) => (req.headers["x-forwarded-proto"] ?? "").startsWith("https");
const str = (v: unknown) => (typeof v === "string" ? v : "");

export const authRoutes: Route[] = [
  {
    method: "POST",
    path: "/api/v1/auth/signin",
    public: true,
    handler: async (req, ctx) => {
      const i = readInput(req);
      const g = await signIn({ ctx, input: { username: str(i.username), password: str(i.password), clientAddress: req.clientAddress } });
      return { status: 200, json: { user: { username: g.username, role: g.role } }, headers: { "set-cookie": sessionCookie(g.secret, secure(req)) } };
    },
  },
  {
    method: "POST",
    path: "/api/v1/auth/signout",
    public: true,
    handler: (req, ctx) => {
      const secret = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (secret) signOut({ ctx, input: { secret } });
      return { status: 200, json: {}, headers: { "set-cookie": clearedSessionCookie() } };
    },
  },
  {
    method: "GET",
    path: "/api/v1/auth/link",
    public: true,
    handler: (req, ctx) => {
      const g = redeemSignInLink({ ctx, input: { token: req.url.searchParams.get("token") ?? "" } });
      return { status: 302, body: "", contentType: "text/plain", headers: { location: "/", "set-cookie": sessionCookie(g.secret, secure(req)) } };
    },
  },
  {
    method: "GET",
    path: "/api/v1/auth/me",
    handler: (_req, ctx) => ({ status: 200, json: { actor: { id: ctx.actor.id, role: ctx.actor.role } } }),
  },
  { method: "GET", path: "/api/v1/users", handler: (_req, ctx) => ({ status: 200, json: { users: listUsers({ ctx, input: {} }) } }) },
  {
    method: "POST",
    path: "/api/v1/users",
    handler: async (req, ctx) => {
      const i = readInput(req);
      const user = await createUser({ ctx, input: { username: str(i.username), password: i.password as string | undefined, role: str(i.role) } });
      return { status: 200, json: { user } };
    },
  },
  {
    method: "POST",
    path: "/api/v1/users/:username/role",
    handler: (req, ctx) => ({ status: 200, json: { user: setUserRole({ ctx, input: { username: req.params.username!, role: str(readInput(req).role) } }) } }),
  },
  {
    method: "POST",
    path: "/api/v1/users/:username/password",
    handler: async (req, ctx) => {
      const i = readInput(req);
      const input = { username: req.params.username!, password: str(i.password), keep_session: readCookie(req.headers.cookie, SESSION_COOKIE) };
      await setPassword({ ctx, input: typeof i.current_password === "string" ? { ...input, current_password: i.current_password } : input });
      return { status: 200, json: {} };
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/users/:username",
    handler: (req, ctx) => {
      deleteUser({ ctx, input: { username: req.params.username! } });
      return { status: 200, json: {} };
    },
  },
  { method: "GET", path: "/api/v1/tokens", handler: (_req, ctx) => ({ status: 200, json: { tokens: listApiTokens({ ctx, input: {} }) } }) },
  {
    method: "POST",
    path: "/api/v1/tokens",
    handler: (req, ctx) => {
      const i = readInput(req);
      const t = createApiToken({ ctx, input: { name: str(i.name), role: str(i.role), experiment_id: i.experiment_id as string | undefined } });
      return { status: 200, json: { token: t } };
    },
  },
  {
    method: "POST",
    path: "/api/v1/tokens/:token_id/revoke",
    handler: (req, ctx) => ({ status: 200, json: { token: revokeApiToken({ ctx, input: { token_id: req.params.token_id! } }) } }),
  },
];
