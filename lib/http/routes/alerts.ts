// Alerts REST (/api/v1/alerts): incidents and acknowledgement, rules, silences, channels. Roles
// are checked in the verbs: viewers read, operators acknowledge and silence, admins edit rules
// and channels.
import {
  ackAlert,
  cancelSilence,
  evaluateAlertsNow,
  createAlertChannel,
  createSilence,
  deleteAlertChannel,
  deleteAlertRule,
  getAlert,
  listAlertChannels,
  listAlertDeliveries,
  listAlertRules,
  listAlerts,
  listSilences,
  putAlertRule,
  testAlertChannel,
  updateAlertRule,
  type CreateAlertChannelInput,
  type CreateSilenceInput,
  type ListAlertRulesInput,
  type ListAlertsInput,
  type PutAlertRuleInput,
} from "@/lib/alerts";
import { readInput } from "../body";
import type { ApiRequest, Route } from "../types";

const BASE = "/api/v1/alerts";

function body<T>(req: ApiRequest): T {
  return readInput(req) as T;
}

export const alertRoutes: Route[] = [
  { method: "GET", path: BASE, handler: (req, ctx) => ({ status: 200, json: listAlerts({ ctx, input: readInput(req) as ListAlertsInput }) }) },
  { method: "POST", path: `${BASE}/evaluate`, handler: async (_req, ctx) => ({ status: 200, json: await evaluateAlertsNow({ ctx }) }) },
  {
    method: "GET",
    path: `${BASE}/rules`,
    handler: (req, ctx) => ({ status: 200, json: listAlertRules({ ctx, input: readInput(req) as ListAlertRulesInput }) }),
  },
  {
    method: "PUT",
    path: `${BASE}/rules`,
    handler: (req, ctx) => {
      const r = putAlertRule({ ctx, input: body<PutAlertRuleInput>(req) });
      return { status: r.change === "created" ? 201 : 200, json: r };
    },
  },
  {
    method: "PATCH",
    path: `${BASE}/rules/:rule_id`,
    handler: (req, ctx) => ({
      status: 200,
      json: { rule: updateAlertRule({ ctx, input: { ...body<Record<string, unknown>>(req), rule_id: req.params.rule_id! } }) },
    }),
  },
  {
    method: "DELETE",
    path: `${BASE}/rules/:rule_id`,
    handler: (req, ctx) => ({ status: 200, json: deleteAlertRule({ ctx, input: { rule_id: req.params.rule_id! } }) }),
  },
  {
    method: "GET",
    path: `${BASE}/silences`,
    handler: (req, ctx) => ({ status: 200, json: listSilences({ ctx, input: readInput(req) as { experiment_id: string } }) }),
  },
  {
    method: "POST",
    path: `${BASE}/silences`,
    handler: (req, ctx) => ({ status: 201, json: { silence: createSilence({ ctx, input: body<CreateSilenceInput>(req) }) } }),
  },
  {
    method: "POST",
    path: `${BASE}/silences/:silence_id/cancel`,
    handler: (req, ctx) => ({ status: 200, json: { silence: cancelSilence({ ctx, input: { silence_id: req.params.silence_id! } }) } }),
  },
  { method: "GET", path: `${BASE}/channels`, handler: (req, ctx) => ({ status: 200, json: listAlertChannels({ ctx, input: readInput(req) }) }) },
  {
    method: "POST",
    path: `${BASE}/channels`,
    handler: async (req, ctx) => ({ status: 201, json: await createAlertChannel({ ctx, input: body<CreateAlertChannelInput>(req) }) }),
  },
  {
    method: "DELETE",
    path: `${BASE}/channels/:channel_id`,
    handler: (req, ctx) => ({ status: 200, json: deleteAlertChannel({ ctx, input: { channel_id: req.params.channel_id! } }) }),
  },
  {
    method: "POST",
    path: `${BASE}/channels/:channel_id/test`,
    handler: async (req, ctx) => ({ status: 200, json: await testAlertChannel({ ctx, input: { channel_id: req.params.channel_id! } }) }),
  },
  {
    method: "GET",
    path: `${BASE}/channels/:channel_id/deliveries`,
    handler: (req, ctx) => ({ status: 200, json: listAlertDeliveries({ ctx, input: { ...readInput(req), channel_id: req.params.channel_id! } }) }),
  },
  {
    method: "GET",
    path: `${BASE}/:alert_id`,
    handler: (req, ctx) => ({ status: 200, json: { alert: getAlert({ ctx, input: { alert_id: req.params.alert_id! } }) } }),
  },
  {
    method: "POST",
    path: `${BASE}/:alert_id/ack`,
    handler: (req, ctx) => ({
      status: 200,
      json: { alert: ackAlert({ ctx, input: { ...(req.body.length ? body<{ note?: string }>(req) : {}), alert_id: req.params.alert_id! } }) },
    }),
  },
];
