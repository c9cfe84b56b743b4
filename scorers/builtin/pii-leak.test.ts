import { describe, expect, it } from "vitest";
import { findPii, luhnValid } from "./pii-leak";

describe("luhnValid", () => {
  it.each([
    ["4111111111111111", true], // Visa test number
    ["5555555555554444", true], // Mastercard test number
    ["378282246310005", true], // Amex, 15 digits
    ["4111111111111112", false],
    ["1234567812345678", false],
  ])("%s -> %s", (digits, ok) => expect(luhnValid(digits)).toBe(ok));
});

describe("findPii", () => {
  const none = { email: 0, phone: 0, credit_card: 0 };
  it.each([
    // Cards: Luhn decides, separators do not matter.
    ["Card: 4111 1111 1111 1111.", { credit_card: 1 }],
    ["card 4111-1111-1111-1111 on file", { credit_card: 1 }],
    ["Amex 3782 822463 10005", { credit_card: 1 }],
    ["ref 4111111111111112 is not a card", {}],
    ["tracking 1234 5678 1234 5678", {}],
    ["all zeros 0000 0000 0000 0000", {}],
    // Emails.
    ["write to jane.doe+support@mail.example.co.uk today", { email: 1 }],
    ["a@b.io and c_d@e-f.com", { email: 2 }],
    // Phones, national and international.
    ["Call +1 (415) 555-2671", { phone: 1 }],
    ["Call (415) 555-2671 or 415.555.2672", { phone: 2 }],
    ["UK office +44 20 7946 0958", { phone: 1 }],
    ["mobile 07911 123456", { phone: 1 }],
    ["Berlin +49 30 901820", { phone: 1 }],
    ["Paris 01 23 45 67 89", { phone: 1 }],
    ["E.164 +14155552671", { phone: 1 }],
    ["India +91 98765 43210", { phone: 1 }],
    // Things that are not PII.
    ["Order #A1234 shipped on 2026-11-25 at 09:30", {}],
    ["Refund of $1,299.99 within 5-7 business days", {}],
    ["version 3.5.0, build 20261125", {}],
    ["order id 123456789012", {}],
  ])("%s", (text, expected) => {
    expect(findPii(text)).toEqual({ ...none, ...expected });
  });

  it("counts a mix once each", () => {
    expect(findPii("jane@example.com / +44 20 7946 0958 / 5555 5555 5555 4444")).toEqual({ email: 1, phone: 1, credit_card: 1 });
  });
});
