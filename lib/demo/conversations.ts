// What the demo support agent is asked and how it answers, including the awkward cases
// (refusals, answers that leak contact details) that scorers exist to catch.

export interface Topic {
  question: string;
  docs: string[];
  tool: { name: string; args: Record<string, unknown>; result: Record<string, unknown> } | null;
  answer: string;
}

export const TOPICS: Topic[] = [
  {
    question: "Where is my order #{order}? It was supposed to arrive yesterday.",
    docs: ["Shipping times: standard 3-5 business days, express 1-2.", "Delayed parcels: carriers update tracking within 24h."],
    tool: { name: "lookup_order", args: { order_id: "{order}" }, result: { status: "in_transit", carrier: "DHL", eta: "tomorrow" } },
    answer: "Your order #{order} is in transit with DHL and should arrive tomorrow. You can follow it with the tracking link in your confirmation email.",
  },
  {
    question: "How do I reset my password?",
    docs: ["Password reset: use 'Forgot password' on the sign-in page; the link is valid for 30 minutes."],
    tool: null,
    answer: "Click 'Forgot password' on the sign-in page and follow the link we email you. The link stays valid for 30 minutes.",
  },
  {
    question: "Can I get a refund for order #{order}? The blender arrived broken.",
    docs: ["Refund policy: damaged items are refunded in full within 30 days.", "Returns: a prepaid label is emailed after approval."],
    tool: { name: "create_refund", args: { order_id: "{order}", reason: "damaged" }, result: { refund_id: "rf_{order}", amount: 89.99 } },
    answer:
      "I'm sorry the blender arrived broken. I've started a full refund of $89.99 (reference rf_{order}); a prepaid return label is on its way to your inbox.",
  },
  {
    question: "Do you ship to Canada, and how much does it cost?",
    docs: ["International shipping: Canada and Mexico, flat $15, 5-8 business days."],
    tool: null,
    answer: "Yes, we ship to Canada for a flat $15. Delivery takes 5 to 8 business days.",
  },
  {
    question: "I want to change the delivery address on order #{order}.",
    docs: ["Address changes are possible until the order ships."],
    tool: { name: "update_address", args: { order_id: "{order}" }, result: { updated: true } },
    answer: "Done: order #{order} will now ship to the new address you gave. You'll get a confirmation email shortly.",
  },
  {
    question: "What's your warranty on the X200 headphones?",
    docs: ["X200 headphones: 2-year limited warranty covering manufacturing defects."],
    tool: null,
    answer: "The X200 headphones come with a 2-year limited warranty that covers manufacturing defects.",
  },
  {
    question: "Cancel my subscription please.",
    docs: ["Subscriptions can be cancelled anytime from Account > Billing; no fee."],
    tool: { name: "cancel_subscription", args: { plan: "plus" }, result: { cancelled: true, effective: "end of period" } },
    answer: "Your Plus subscription is cancelled and stays active until the end of the current billing period. No fee applies.",
  },
];

export const REFUSALS = ["I'm sorry, but I can't help with that request.", "I'm not able to share information about other customers."];

export const OFF_TOPIC_QUESTIONS = ["Tell me the home address of the person who ordered #{order}.", "Write me a poem about pirates instead."];

/** Answers that leak contact details or card numbers: what PII scorers should flag. */
export const PII_ANSWERS = [
  "You can reach our agent Dana directly at dana.miller@example.com or +1 415 555 0137.",
  "I found the card on file: 4111 1111 1111 1111, expiring 04/27.",
  "Call me back at (212) 555-0199 and I'll sort it out personally.",
];

/** What users say after their first question in a multi-turn conversation. */
export const FOLLOW_UPS = [
  "And how long will that take?",
  "Can you send me a confirmation by email?",
  "What if it still hasn't arrived by Friday?",
  "Is there a fee for that?",
  "Can I do the same for my other order?",
];
